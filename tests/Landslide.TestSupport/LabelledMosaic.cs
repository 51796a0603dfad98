using Landslide.Raster.Polygons;

namespace Landslide.TestSupport;

/// <summary>
/// A labelled scene the way a mapper makes one: a mosaic of real patches (<see cref="RealPatches.WriteMosaic"/>) and
/// landslide polygons drawn from their truth masks, written as WGS84 GeoJSON (RFC 7946) by our polygonizer.
/// </summary>
public static class LabelledMosaic
{
    /// <summary>Writes scene.tif, truth.tif and labels.geojson into <paramref name="directory"/>.</summary>
    public static (string Scene, string Polygons, string Truth) Write(string directory, IReadOnlyList<int> ids, int columns)
    {
        var scene = RealPatches.WriteMosaic(directory, ids, columns);
        var truth = Path.Combine(directory, "truth.tif");
        var polygons = Path.Combine(directory, "labels.geojson");
        LandslidePolygonizer.Write(truth, truth, polygons, new PolygonizeOptions());
        return (scene, polygons, truth);
    }

    /// <summary>A GeoJSON FeatureCollection of axis-aligned rectangles in EPSG:<paramref name="epsg"/> (legacy "crs" member), with an optional role each.</summary>
    public static string Rectangles(int epsg, params (double MinX, double MinY, double MaxX, double MaxY, string? Role)[] boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        var features = boxes.Select(b =>
        {
            var role = b.Role is null ? "null" : $"\"{b.Role}\"";
            var ring = FormattableString.Invariant($"[[{b.MinX},{b.MinY}],[{b.MaxX},{b.MinY}],[{b.MaxX},{b.MaxY}],[{b.MinX},{b.MaxY}],[{b.MinX},{b.MinY}]]");
            return "{\"type\":\"Feature\",\"properties\":{\"role\":" + role + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" + ring + "]}}";
        });
        return "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::"
            + epsg.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}},\"features\":[" + string.Join(',', features) + "]}";
    }
}
