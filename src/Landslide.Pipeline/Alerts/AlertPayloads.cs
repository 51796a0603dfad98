using System.Text.Json;
using System.Text.Json.Nodes;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Storage;

namespace Landslide.Pipeline.Alerts;

/// <summary>
/// The alert body (docs/ARCHITECTURE.md, "Contracts"): scene, run id, model version, count and total area of the polygons that pass
/// the alert thresholds, their WGS84 bounding box, and the polygons themselves (inlined when small, always linked).
/// </summary>
internal static class AlertPayloads
{
    /// <summary>Where the finalizer leaves a run's alert body for the dispatcher: work/{run}/alert.json.</summary>
    public static string BlobName(string runId) => $"{runId}/alert.json";

    /// <summary>The UTF-8 body, or null when no polygon passes the alert thresholds.</summary>
    public static async Task<byte[]?> CreateAsync(
        RunRecord run, string scene, string polygonsPath, PipelineStorage storage, AlertOptions options, CancellationToken cancellationToken)
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(polygonsPath, cancellationToken).ConfigureAwait(false))?.AsObject()
            ?? throw new InvalidDataException($"'{polygonsPath}' is not a GeoJSON object");
        var features = new JsonArray();
        double area = 0, west = double.MaxValue, south = double.MaxValue, east = double.MinValue, north = double.MinValue;
        foreach (var feature in document["features"]?.AsArray() ?? [])
        {
            var properties = feature?["properties"];
            var featureArea = properties?["area_m2"]?.GetValue<double>() ?? 0;
            var maxProbability = properties?["max_probability"]?.GetValue<double>() ?? 0;
            if (featureArea < options.MinAreaM2 || maxProbability < options.MinProbability)
            {
                continue;
            }

            area += featureArea;
            Extend(feature?["geometry"]?["coordinates"], ref west, ref south, ref east, ref north);
            features.Add(feature!.DeepClone());
        }

        if (features.Count == 0)
        {
            return null;
        }

        var results = storage.Container(StorageNames.ResultsContainer);
        var polygonsUrl = await ReadLinks.ForReadingAsync(results.GetBlobClient($"{scene}/{OutputNames.Polygons}"), ReadLinks.AlertLifetime, cancellationToken)
            .ConfigureAwait(false);
        var resultsUrl = await ReadLinks.ForReadingAsync(results.GetBlobClient($"{scene}/{OutputNames.Run}"), ReadLinks.AlertLifetime, cancellationToken)
            .ConfigureAwait(false);
        var collection = new JsonObject { ["type"] = "FeatureCollection", ["features"] = features };
        var inline = collection.ToJsonString().Length <= options.MaxInlinePolygonBytes;
        var payload = new JsonObject
        {
            ["type"] = "landslides.detected",
            ["scene"] = scene,
            ["run_id"] = run.RunId,
            ["model_version"] = run.Model.Version,
            ["model_sha256"] = run.Model.Sha256,
            ["count"] = features.Count,
            ["total_area_m2"] = Math.Round(area, 2),
            ["bbox"] = new JsonArray(west, south, east, north),
            ["results_url"] = resultsUrl,
            ["polygons_url"] = polygonsUrl,
            ["report_url"] = results.GetBlobClient($"{scene}/{OutputNames.Report}").Uri.AbsoluteUri,
            ["polygons"] = inline ? collection : null,
            ["detected_at"] = run.FinishedAt.ToString("O"),
        };
        return JsonSerializer.SerializeToUtf8Bytes(payload);
    }

    private static void Extend(JsonNode? coordinates, ref double west, ref double south, ref double east, ref double north)
    {
        if (coordinates is not JsonArray array || array.Count == 0)
        {
            return;
        }

        if (array[0] is JsonValue && array.Count >= 2)
        {
            var lon = array[0]!.GetValue<double>();
            var lat = array[1]!.GetValue<double>();
            west = Math.Min(west, lon);
            east = Math.Max(east, lon);
            south = Math.Min(south, lat);
            north = Math.Max(north, lat);
            return;
        }

        foreach (var child in array)
        {
            Extend(child, ref west, ref south, ref east, ref north);
        }
    }
}
