using Landslide.Raster.Interop;

namespace Landslide.Raster;

/// <summary>Process-wide GDAL settings a host may bind from its configuration.</summary>
public static class GdalSettings
{
    /// <summary>GDAL's release (e.g. "3.6.2"), loading GDAL first: a host's health check that its image has GDAL.</summary>
    /// <exception cref="DllNotFoundException">GDAL is not installed; the message names the package to install.</exception>
    public static string RuntimeVersion
    {
        get
        {
            return GdalRuntime.ReleaseName;
        }
    }

    /// <summary>
    /// GDAL's raster block cache in bytes (default 5 % of RAM). Peak memory of reads, COG writes and polygonizing
    /// follows this cache, not the scene size, so a worker with a tight memory budget lowers it (e.g. 64 MB).
    /// </summary>
    public static long BlockCacheBytes
    {
        get
        {
            return GdalRuntime.CacheMaxBytes;
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1L << 20);
            GdalRuntime.CacheMaxBytes = value;
        }
    }
}
