using System.ComponentModel.DataAnnotations;

namespace Landslide.Pipeline.DependencyInjection;

/// <summary>Process-wide GDAL settings of a pipeline host (section "Gdal"; app settings Gdal__*).</summary>
public sealed class GdalOptions
{
    public const string SectionName = "Gdal";

    /// <summary>
    /// GDAL's raster block cache in MiB, shared by every worker in the process (GDAL's own default is 5 % of RAM): peak
    /// memory then follows the number of concurrent chunks, not the machine. Default 128.
    /// </summary>
    [Range(16, 65_536)]
    public int BlockCacheMiB { get; set; } = 128;
}
