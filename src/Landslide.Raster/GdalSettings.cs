using Landslide.Raster.Interop;

namespace Landslide.Raster;

/// <summary>Process-wide GDAL settings a host may bind from its configuration.</summary>
public static class GdalSettings
{
    private static readonly Lock s_limitLock = new();
    private static int s_limits;
    private static long s_beforeLimits;

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

    /// <summary>
    /// Holds GDAL's block cache at no more than <paramref name="bytes"/> until the result is disposed (e.g. a run's
    /// output phase, which streams files through the cache). Holds may overlap, from any thread: the smallest applies,
    /// and the last one to end puts back the size from before the first.
    /// </summary>
    public static IDisposable LimitBlockCache(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1L << 20);
        lock (s_limitLock)
        {
            if (s_limits++ == 0)
            {
                s_beforeLimits = BlockCacheBytes;
            }

            if (bytes < BlockCacheBytes)
            {
                BlockCacheBytes = bytes;
            }
        }

        return new CacheLimit();
    }

    private sealed class CacheLimit : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 1)
            {
                return;
            }

            lock (s_limitLock)
            {
                if (--s_limits == 0)
                {
                    BlockCacheBytes = s_beforeLimits;
                }
            }
        }
    }
}
