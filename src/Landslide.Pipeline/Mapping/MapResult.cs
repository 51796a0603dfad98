namespace Landslide.Pipeline.Mapping;

/// <summary>What a mapping run produced: the run record (also written as run.json) and the output folder.</summary>
public sealed record MapResult(string OutputDirectory, RunRecord Run);
