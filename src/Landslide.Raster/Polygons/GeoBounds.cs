namespace Landslide.Raster.Polygons;

/// <summary>A WGS84 bounding box in degrees, in GeoJSON bbox order (west, south, east, north).</summary>
public readonly record struct GeoBounds(double West, double South, double East, double North);
