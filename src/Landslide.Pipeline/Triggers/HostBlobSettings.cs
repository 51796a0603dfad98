namespace Landslide.Pipeline.Triggers;

/// <summary>host.json extensions.blobs: blob-trigger parallelism and the failures after which a blob goes to the poison queue.</summary>
public sealed record HostBlobSettings(int MaxDegreeOfParallelism, int PoisonBlobThreshold);
