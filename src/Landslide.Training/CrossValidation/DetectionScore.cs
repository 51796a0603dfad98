using Landslide.Training.Evaluation;

namespace Landslide.Training.CrossValidation;

/// <summary>
/// A <see cref="DetectionSetting"/> scored on labelled predictions. <see cref="Pixels"/>: pooled pixel counts after
/// the polygon filters (a dropped polygon's pixels count as background). Polygon-level precision: the share of kept
/// polygons that touch (share at least one pixel with) a true landslide. <see cref="PolygonsOnEmptyTiles"/>: kept
/// polygons on tiles with no landslide pixel, each one a false alarm.
/// </summary>
public sealed record DetectionScore(
    DetectionSetting Setting,
    SegmentationMetrics Pixels,
    int Polygons,
    int PolygonsTouchingLandslide,
    int EmptyTiles,
    int PolygonsOnEmptyTiles)
{
    /// <summary>Kept polygons touching a true landslide / kept polygons; 0 when none is kept.</summary>
    public double PolygonPrecision => Polygons > 0 ? (double)PolygonsTouchingLandslide / Polygons : 0;

    /// <summary>Kept polygons per tile without landslide pixels; 0 when there is no such tile.</summary>
    public double PolygonsPerEmptyTile => EmptyTiles > 0 ? (double)PolygonsOnEmptyTiles / EmptyTiles : 0;
}
