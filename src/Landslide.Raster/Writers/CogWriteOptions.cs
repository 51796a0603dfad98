using System.ComponentModel.DataAnnotations;

namespace Landslide.Raster.Writers;

/// <summary>
/// How <see cref="CogWriter"/> spends time: the temporary rows file and the COG copy. The defaults are the fastest
/// combination measured that still yields a valid COG (docs/BENCHMARKS.md, "COG writing"); <see cref="Baseline"/> is
/// the earlier setting, kept so the benchmark compares both in one run.
/// </summary>
public sealed class CogWriteOptions
{
    /// <summary>
    /// The settings before they were tuned: DEFLATE level 1 temporary file, overviews computed by the COG driver, and
    /// the COG's blocks at GDAL's default DEFLATE level (6).
    /// </summary>
    public static CogWriteOptions Baseline { get; } = new() { CompressTemporary = true, OverviewsOnTemporary = false, DeflateLevel = 6 };

    /// <summary>The tuned defaults.</summary>
    public static CogWriteOptions Default { get; } = new();

    /// <summary>
    /// DEFLATE (level 1) the temporary rows file. Off by default: the file is written once and read once, so compressing
    /// it costs a compression and a decompression for disk space only (4 bytes per pixel of float32 while it exists).
    /// </summary>
    public bool CompressTemporary { get; init; }

    /// <summary>
    /// Build the overviews into the (uncompressed) temporary file with GDAL's overview builder on all threads and have
    /// the COG copy reuse them (OVERVIEWS=FORCE_USE_EXISTING), instead of the COG driver computing them from the copy.
    /// Default true: the fastest valid COG measured (docs/BENCHMARKS.md). Overview levels are those the driver picks.
    /// </summary>
    public bool OverviewsOnTemporary { get; init; } = true;

    /// <summary>
    /// Threads GDAL uses to compress the COG's blocks (its NUM_THREADS) and to build overviews; 0 = all cores
    /// (ALL_CPUS). Default 1: more threads made the copy about 10 % faster at 8192 x 8192 on this 2-core machine, but
    /// each GDAL worker thread keeps its own malloc arena, and the mapper's peak memory is what bounds a worker.
    /// </summary>
    [Range(0, 256)]
    public int Threads { get; init; } = 1;

    /// <summary>
    /// DEFLATE level of the COG's blocks (1-12, libdeflate). Default 1: on the float32 probability of a 4096 x 4096 run
    /// the copy took 0.81 s at level 1 against 1.45 s at GDAL's default 6, for a file 1.8 % larger
    /// (docs/BENCHMARKS.md, "COG output options"); readers decode every level at the same speed.
    /// </summary>
    [Range(1, 12)]
    public int DeflateLevel { get; init; } = 1;
}
