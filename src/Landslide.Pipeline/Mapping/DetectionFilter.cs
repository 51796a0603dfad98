using Landslide.Core.Segmentation;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// Which polygons count as detections: at least <see cref="MinAreaM2"/> and a mean probability of at least
/// <see cref="MinMeanProbability"/>. The one place `map` and the cloud stages resolve their defaults: an explicit
/// setting, else the model manifest's recommendation, else the built-in defaults (chosen on the 15 training patches
/// with `landslide filters`, docs/BENCHMARKS.md).
/// </summary>
public sealed record DetectionFilter(double MinAreaM2, double MinMeanProbability)
{
    /// <summary>Built-in minimum polygon area (m²): see docs/BENCHMARKS.md, "Detection filters".</summary>
    public const double DefaultMinAreaM2 = 800;

    /// <summary>Built-in minimum mean probability of a polygon: see docs/BENCHMARKS.md, "Detection filters".</summary>
    public const double DefaultMinMeanProbability = 0.75;

    public static DetectionFilter Resolve(double? minAreaM2, double? minMeanProbability, ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new DetectionFilter(
            minAreaM2 ?? model.MinAreaM2 ?? DefaultMinAreaM2,
            minMeanProbability ?? model.MinMeanProbability ?? DefaultMinMeanProbability);
    }

    public Raster.Polygons.PolygonizeOptions ToPolygonizeOptions() => new() { MinAreaM2 = MinAreaM2, MinMeanProbability = MinMeanProbability };
}
