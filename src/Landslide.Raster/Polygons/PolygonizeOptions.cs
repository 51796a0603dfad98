using System.ComponentModel.DataAnnotations;

namespace Landslide.Raster.Polygons;

/// <summary>Settings for turning a mask into landslide polygons.</summary>
public sealed class PolygonizeOptions
{
    /// <summary>Polygons smaller than this (m², measured in the scene's projected CRS) are dropped. Default 0: keep all.</summary>
    [Range(0, double.MaxValue)]
    public double MinAreaM2 { get; init; }

    /// <summary>Polygons whose mean probability is below this are dropped. Default 0: keep all.</summary>
    [Range(0.0, 1.0)]
    public double MinMeanProbability { get; init; }

    /// <summary>Rows read per block when computing the probability statistics. Default 256.</summary>
    [Range(1, 65_536)]
    public int RowsPerBlock { get; init; } = 256;
}
