namespace Landslide.Raster.Polygons;

/// <summary>What <see cref="LandslidePolygonizer"/> wrote: the alert and run.json report these.</summary>
/// <param name="Count">Polygons written (after the minimum-area filter).</param>
/// <param name="TotalAreaM2">Sum of their areas in m².</param>
/// <param name="Bounds">Their WGS84 bounding box; null when there are none.</param>
public sealed record PolygonSummary(int Count, double TotalAreaM2, GeoBounds? Bounds);
