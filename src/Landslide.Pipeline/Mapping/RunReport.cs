using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Landslide.Core.Scenes;
using Landslide.Raster;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// report.html: one self-contained page per run (the quicklook as a data URI, the polygons as inline SVG over it, the
/// table of polygons, the run facts and the model). It references nothing outside itself, so it opens from disk,
/// from an e-mail attachment or from a blob with no network. `map` and the Finalizer both write it through here.
/// </summary>
public static class RunReport
{
    /// <summary>
    /// Writes report.html into <paramref name="outputDirectory"/> from the quicklook.png and landslides.geojson already
    /// there and the run record; <paramref name="scene"/> places the WGS84 polygons on the quicklook's pixel grid.
    /// </summary>
    public static async Task WriteAsync(string outputDirectory, RunRecord run, SceneInfo scene, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(scene);
        var quicklook = await File.ReadAllBytesAsync(Path.Combine(outputDirectory, OutputNames.Quicklook), cancellationToken).ConfigureAwait(false);
        var geoJson = await File.ReadAllBytesAsync(Path.Combine(outputDirectory, OutputNames.Polygons), cancellationToken).ConfigureAwait(false);
        var html = Render(run, scene, quicklook, geoJson);
        var path = Path.Combine(outputDirectory, OutputNames.Report);
        var partial = path + ".partial";
        await File.WriteAllTextAsync(partial, html, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The page's HTML from the run, the scene grid, the quicklook PNG bytes and the GeoJSON bytes.</summary>
    public static string Render(RunRecord run, SceneInfo scene, ReadOnlySpan<byte> quicklookPng, ReadOnlySpan<byte> geoJson)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(scene);
        var polygons = ReadPolygons(geoJson, scene);
        var sceneName = Path.GetFileNameWithoutExtension(run.Scene.Source.Split('?')[0]);
        var inv = CultureInfo.InvariantCulture;
        var html = new StringBuilder(64 * 1024 + (quicklookPng.Length * 4 / 3));
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">")
            .Append("<title>Landslides in ").Append(E(sceneName)).Append("</title><style>")
            .Append("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1100px}")
            .Append("h1{font-size:1.4em;margin:0 0 .3em}table{border-collapse:collapse;margin:.6em 0}")
            .Append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#f3f3f3}td.k{text-align:left;font-weight:600}")
            .Append("svg{max-width:100%;height:auto;border:1px solid #999;background:#000}")
            .Append("path.landslide{fill:rgba(255,0,255,.35);stroke:#ff00ff;stroke-width:1.5;vector-effect:non-scaling-stroke}")
            .Append(".legend span{display:inline-block;width:14px;height:14px;vertical-align:middle;margin-right:4px;border:2px solid #ff00ff;background:rgba(255,0,255,.35)}")
            .Append("</style></head><body>\n");
        html.Append("<h1>Landslides in ").Append(E(sceneName)).Append("</h1>\n<p id=\"summary\">")
            .Append(run.Counts.Polygons.ToString(inv)).Append(" polygons, ")
            .Append(run.Counts.LandslideAreaM2.ToString("N0", inv)).Append(" m² detected by model ")
            .Append(E(run.Model.Version)).Append(" at threshold ").Append(run.Settings.Threshold.ToString("0.###", inv)).Append(".</p>\n");

        html.Append("<figure><svg id=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
            .Append(scene.Width.ToString(inv)).Append(' ').Append(scene.Height.ToString(inv))
            .Append("\" width=\"").Append(Math.Min(1024, Math.Max(512, scene.Width)).ToString(inv)).Append("\">")
            .Append("<image href=\"data:image/png;base64,").Append(Convert.ToBase64String(quicklookPng))
            .Append("\" x=\"0\" y=\"0\" width=\"").Append(scene.Width.ToString(inv)).Append("\" height=\"").Append(scene.Height.ToString(inv))
            .Append("\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\"/>");
        foreach (var polygon in polygons)
        {
            html.Append("<path class=\"landslide\" data-id=\"").Append(polygon.Id.ToString(inv)).Append("\" d=\"").Append(polygon.Path)
                .Append("\"><title>polygon ").Append(polygon.Id.ToString(inv)).Append(": ").Append(polygon.AreaM2.ToString("N0", inv)).Append(" m²</title></path>");
        }

        html.Append("</svg><figcaption class=\"legend\">True colour (2–98 % stretch; red: landslide pixels), <span></span>landslide polygons. ")
            .Append("Scene grid EPSG:").Append(E(scene.Epsg?.ToString(inv) ?? "?")).Append(", ")
            .Append(Math.Abs(scene.GeoTransform.PixelWidth).ToString("0.##", inv)).Append(" m pixels.</figcaption></figure>\n");

        html.Append("<h2>Polygons</h2>\n<table id=\"polygons\"><thead><tr><th>id</th><th>area (m²)</th><th>pixels</th><th>mean probability</th>")
            .Append("<th>max probability</th><th>centroid lon</th><th>centroid lat</th></tr></thead><tbody>");
        foreach (var p in polygons)
        {
            html.Append("<tr class=\"polygon\"><td>").Append(p.Id.ToString(inv)).Append("</td><td>").Append(p.AreaM2.ToString("N0", inv))
                .Append("</td><td>").Append(p.Pixels.ToString(inv)).Append("</td><td>").Append(p.MeanProbability.ToString("0.000", inv))
                .Append("</td><td>").Append(p.MaxProbability.ToString("0.000", inv)).Append("</td><td>").Append(p.CentroidLon.ToString("0.000000", inv))
                .Append("</td><td>").Append(p.CentroidLat.ToString("0.000000", inv)).Append("</td></tr>");
        }

        html.Append("</tbody></table>\n<h2>Run</h2>\n<table id=\"facts\"><tbody>");
        Fact(html, "scene", run.Scene.Source);
        Fact(html, "scene size", string.Create(inv, $"{run.Scene.Width} × {run.Scene.Height} px, band profile {run.Scene.BandProfile}"));
        Fact(html, "run id", run.RunId);
        Fact(html, "model version", run.Model.Version);
        Fact(html, "model sha256", run.Model.Sha256);
        Fact(html, "feature version", run.Model.FeatureVersion);
        Fact(html, "threshold", run.Settings.Threshold.ToString("0.###", inv));
        Fact(html, "minimum polygon area", run.Settings.MinAreaM2.ToString("N0", inv) + " m²");
        Fact(html, "tiles", run.Counts.Tiles.ToString(inv));
        Fact(html, "valid pixels", run.Counts.ValidPixels.ToString(inv));
        Fact(html, "landslide pixels", run.Counts.LandslidePixels.ToString(inv));
        Fact(html, "started", run.StartedAt.ToString("u", inv));
        Fact(html, "finished", run.FinishedAt.ToString("u", inv));
        Fact(html, "tool", run.Tool);
        html.Append("</tbody></table>\n</body></html>\n");
        return html.ToString();
    }

    private static void Fact(StringBuilder html, string key, string value) =>
        html.Append("<tr><td class=\"k\">").Append(E(key)).Append("</td><td style=\"text-align:left\">").Append(E(value)).Append("</td></tr>");

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static List<ReportPolygon> ReadPolygons(ReadOnlySpan<byte> geoJson, SceneInfo scene)
    {
        using var document = JsonDocument.Parse(geoJson.ToArray());
        var result = new List<ReportPolygon>();
        if (!document.RootElement.TryGetProperty("features", out var features))
        {
            return result;
        }

        var inv = CultureInfo.InvariantCulture;
        foreach (var feature in features.EnumerateArray())
        {
            var properties = feature.GetProperty("properties");
            var geometry = feature.GetProperty("geometry");
            var rings = new List<JsonElement>();
            if (geometry.GetProperty("type").GetString() == "MultiPolygon")
            {
                foreach (var polygon in geometry.GetProperty("coordinates").EnumerateArray())
                {
                    rings.AddRange(polygon.EnumerateArray());
                }
            }
            else
            {
                rings.AddRange(geometry.GetProperty("coordinates").EnumerateArray());
            }

            var path = new StringBuilder();
            foreach (var ring in rings)
            {
                var count = ring.GetArrayLength();
                var xs = new double[count];
                var ys = new double[count];
                var i = 0;
                foreach (var point in ring.EnumerateArray())
                {
                    xs[i] = point[0].GetDouble();
                    ys[i] = point[1].GetDouble();
                    i++;
                }

                ScenePixels.FromWgs84(scene, xs, ys);
                for (i = 0; i < count; i++)
                {
                    path.Append(i == 0 ? 'M' : 'L').Append(xs[i].ToString("0.##", inv)).Append(',').Append(ys[i].ToString("0.##", inv));
                }

                path.Append('Z');
            }

            var centroid = properties.TryGetProperty("centroid", out var c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() == 2
                ? (c[0].GetDouble(), c[1].GetDouble())
                : (double.NaN, double.NaN);
            result.Add(new ReportPolygon(
                Number(properties, "id") is { } id ? (int)id : result.Count + 1,
                Number(properties, "area_m2") ?? 0,
                (long)(Number(properties, "pixel_count") ?? 0),
                Number(properties, "mean_probability") ?? 0,
                Number(properties, "max_probability") ?? 0,
                centroid.Item1,
                centroid.Item2,
                path.ToString()));
        }

        return result;
    }

    private static double? Number(JsonElement properties, string name) =>
        properties.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private sealed record ReportPolygon(
        int Id, double AreaM2, long Pixels, double MeanProbability, double MaxProbability, double CentroidLon, double CentroidLat, string Path);
}
