using System.ComponentModel.DataAnnotations;

namespace Landslide.Pipeline.Mapping;

/// <summary>Settings of one mapping run (the `map` command and the cloud stages share them).</summary>
public sealed class MapOptions
{
    /// <summary>Pixels shared by neighbouring tiles. Default 32.</summary>
    [Range(0, 64)]
    public int Overlap { get; set; } = RunDefaults.Overlap;

    /// <summary>Probability at or above which a pixel is a landslide; null takes the model's threshold.</summary>
    [Range(0.0, 1.0)]
    public double? Threshold { get; set; }

    /// <summary>Tiles per segmenter call; default <see cref="RunDefaults.BatchSize"/>.</summary>
    [Range(1, 1024)]
    public int BatchSize { get; set; } = RunDefaults.BatchSize;

    /// <summary>Band profile: l4s (already in Landslide4Sense scale) or s2-l2a-dn (raw Sentinel-2 digital numbers).</summary>
    [Required]
    public string BandProfile { get; set; } = RunDefaults.BandProfile;

    /// <summary>Polygons smaller than this (m²) are dropped from landslides.geojson; null = the model's default, else <see cref="DetectionFilter.DefaultMinAreaM2"/>.</summary>
    [Range(0.0, double.MaxValue)]
    public double? MinAreaM2 { get; set; }

    /// <summary>Polygons with a lower mean probability are dropped; null = the model's default, else <see cref="DetectionFilter.DefaultMinMeanProbability"/>.</summary>
    [Range(0.0, 1.0)]
    public double? MinMeanProbability { get; set; }

    /// <summary>Longest side of quicklook.png in pixels.</summary>
    [Range(64, 8192)]
    public int QuicklookSize { get; set; } = RunDefaults.QuicklookSize;

    /// <summary>
    /// Stage engine of the tile-row mapper: <see cref="MapEngine.Pipelined"/> (default) or the one-stage-at-a-time
    /// <see cref="MapEngine.Sequential"/> baseline. Both give bit-identical outputs; the switch exists for benchmarks.
    /// </summary>
    [EnumDataType(typeof(MapEngine))]
    public MapEngine Engine { get; set; } = MapEngine.Pipelined;
}
