using System.Text.Json.Nodes;
using Landslide.Core.Scenes;
using Landslide.Raster;
using Landslide.Raster.Polygons;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// The STAC item (1.0.0, projection extension) describing a run's outputs: the scene footprint in WGS84, the
/// landslide summary as properties, and one asset per output file (relative hrefs, so the folder can move).
/// </summary>
internal static class StacItems
{
    private const string ProjectionExtension = "https://stac-extensions.github.io/projection/v1.1.0/schema.json";

    public static JsonObject Create(RunRecord run, SceneInfo scene, PolygonSummary polygons)
    {
        var footprint = SpatialReferences.FootprintWgs84(scene);
        var ring = new JsonArray();
        foreach (var (lon, lat) in footprint)
        {
            ring.Add(new JsonArray(lon, lat));
        }

        ring.Add(new JsonArray(footprint[0].Lon, footprint[0].Lat));
        var lons = footprint.Select(p => p.Lon).ToArray();
        var lats = footprint.Select(p => p.Lat).ToArray();
        return new JsonObject
        {
            ["type"] = "Feature",
            ["stac_version"] = "1.0.0",
            ["stac_extensions"] = new JsonArray(ProjectionExtension),
            ["id"] = $"{Path.GetFileNameWithoutExtension(run.Scene.Source)}-{run.RunId}",
            ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) },
            ["bbox"] = new JsonArray(lons.Min(), lats.Min(), lons.Max(), lats.Max()),
            ["properties"] = new JsonObject
            {
                ["datetime"] = run.FinishedAt.ToString("O"),
                ["proj:epsg"] = scene.Epsg,
                ["proj:shape"] = new JsonArray(scene.Height, scene.Width),
                ["proj:transform"] = new JsonArray(
                    scene.GeoTransform.PixelWidth, scene.GeoTransform.RowRotation, scene.GeoTransform.OriginX,
                    scene.GeoTransform.ColumnRotation, scene.GeoTransform.PixelHeight, scene.GeoTransform.OriginY),
                ["landslide:run_id"] = run.RunId,
                ["landslide:model_version"] = run.Model.Version,
                ["landslide:model_sha256"] = run.Model.Sha256,
                ["landslide:threshold"] = run.Settings.Threshold,
                ["landslide:count"] = polygons.Count,
                ["landslide:area_m2"] = polygons.TotalAreaM2,
            },
            ["assets"] = new JsonObject
            {
                ["mask"] = Asset(OutputNames.Mask, "image/tiff; application=geotiff; profile=cloud-optimized", "Landslide mask (1 landslide, 0 not, 255 nodata)", "data"),
                ["probability"] = Asset(OutputNames.Probability, "image/tiff; application=geotiff; profile=cloud-optimized", "Landslide probability (float32, NaN nodata)", "data"),
                ["polygons"] = Asset(OutputNames.Polygons, "application/geo+json", "Landslide polygons with area and probability", "data"),
                ["quicklook"] = Asset(OutputNames.Quicklook, "image/png", "True colour with detections in red", "overview"),
                ["run"] = Asset(OutputNames.Run, "application/json", "Run provenance", "metadata"),
                ["truecolour"] = Asset(OutputNames.TrueColour, "image/png", "True colour of the scene (2-98 % stretch), quicklook size", "overview"),
                ["report"] = Asset(OutputNames.Report, "text/html", "Self-contained report: quicklook, polygons, run facts", "overview"),
            },
            ["links"] = new JsonArray(),
        };
    }

    private static JsonObject Asset(string href, string type, string title, string role) => new()
    {
        ["href"] = "./" + href,
        ["type"] = type,
        ["title"] = title,
        ["roles"] = new JsonArray(role),
    };
}
