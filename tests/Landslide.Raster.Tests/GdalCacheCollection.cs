namespace Landslide.Raster.Tests;

/// <summary>Tests that change GDAL's process-wide block cache run alone, not beside tests that read it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GdalCacheCollection
{
    public const string Name = "GDAL block cache";
}
