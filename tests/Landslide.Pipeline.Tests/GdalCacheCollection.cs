namespace Landslide.Pipeline.Tests;

/// <summary>
/// Tests that change or check GDAL's process-wide block cache run alone: a pipelined map holds the cache down during
/// its output phase, which a test running beside them would see.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GdalCacheCollection
{
    public const string Name = "GDAL block cache";
}
