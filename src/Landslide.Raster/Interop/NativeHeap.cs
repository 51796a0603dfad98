using System.Runtime.InteropServices;

namespace Landslide.Raster.Interop;

/// <summary>
/// Hands the C heap's free pages back to the OS (glibc malloc_trim). GDAL frees its large buffers into per-thread
/// malloc arenas, where they stay resident; a mapper trims between its stages so the next one starts from what is
/// really in use (measured: docs/BENCHMARKS.md, throughput section). A no-op where the C library lacks it.
/// </summary>
public static partial class NativeHeap
{
    private static bool _unavailable;

    public static void Trim()
    {
        if (_unavailable || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = malloc_trim(0);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true; // not glibc (e.g. musl): nothing to trim this way
        }
    }

    [LibraryImport("libc")]
    private static partial int malloc_trim(nuint pad);
}
