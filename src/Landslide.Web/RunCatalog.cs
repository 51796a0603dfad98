using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Landslide.Core.Segmentation;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Queries;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Storage;

namespace Landslide.Web;

/// <summary>
/// What the web map reads: every scene's latest run (through <see cref="RunQueries"/>, as `serve status` does), the
/// models (the blob registry in the models container, and the one this host maps with), and the run's blobs.
/// </summary>
public sealed class RunCatalog(PipelineStorage storage, ModelDescriptor? servedModel = null)
{
    /// <summary>Blob reads are buffered this much: a geotiff.js block (64 KiB) costs one storage read, not many.</summary>
    private const int ReadBufferBytes = 256 * 1024;

    private static readonly HashSet<string> Outputs = new(StringComparer.Ordinal)
    {
        OutputNames.Mask, OutputNames.Probability, OutputNames.Polygons, OutputNames.Quicklook, OutputNames.Run, OutputNames.StacItem,
        OutputNames.Report, OutputNames.TrueColour, OutputNames.Error,
    };

    private readonly RunQueries _queries = new(storage, new RunStore(storage));

    public static bool IsOutputName(string name) => Outputs.Contains(name);

    /// <summary>The latest run of every scene, newest first.</summary>
    public async Task<IReadOnlyList<RunView>> ListRunsAsync(CancellationToken cancellationToken)
    {
        var views = new List<RunView>();
        var scenes = storage.Runs.QueryAsync<SceneEntity>(e => e.PartitionKey == SceneEntity.PartitionKeyValue, cancellationToken: cancellationToken);
        await foreach (var scene in scenes.ConfigureAwait(false))
        {
            if (await _queries.LatestAsync(scene.RowKey, cancellationToken).ConfigureAwait(false) is { } view)
            {
                views.Add(view);
            }
        }

        return [.. views.OrderByDescending(v => v.CreatedAt)];
    }

    public Task<RunView?> GetRunAsync(string scene, CancellationToken cancellationToken) => _queries.LatestAsync(scene, cancellationToken);

    /// <summary>Registry models (models/{version}/manifest.json, current.json marks the promoted one) and the model in use.</summary>
    public async Task<IReadOnlyList<ModelView>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var models = new List<ModelView>();
        var container = storage.Container("models");
        if (await container.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var promoted = await PromotedVersionAsync(container, cancellationToken).ConfigureAwait(false);
            await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (!blob.Name.EndsWith("/" + ModelManifest.FileName, StringComparison.Ordinal))
                {
                    continue;
                }

                var content = await container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                var manifest = JsonSerializer.Deserialize<ModelManifest>(content.Value.Content.ToStream());
                if (manifest is not null)
                {
                    using var raw = JsonDocument.Parse(content.Value.Content.ToMemory());
                    var plots = raw.RootElement.TryGetProperty("plots", out var list) && list.ValueKind == JsonValueKind.Array
                        ? [.. list.EnumerateArray().Select(p => p.GetString()).OfType<string>().Where(IsPlotName)
                            .Select(p => $"models/{Uri.EscapeDataString(manifest.Version)}/plots/{p}")]
                        : new List<string>();
                    models.Add(new ModelView(manifest.Version, "registry", manifest.Version == promoted, manifest.Threshold, Metrics(manifest.Metrics), plots));
                }
            }
        }

        if (servedModel is not null && models.All(m => m.Version != servedModel.Version))
        {
            models.Add(new ModelView(servedModel.Version, "in use by this host", true, servedModel.Threshold, new Dictionary<string, double>(), []));
        }

        return models;
    }

    /// <summary>One output of the scene's latest results; null when the name is not an output or the blob does not exist.</summary>
    public async Task<RunOutput?> OpenAsync(string scene, string outputName, CancellationToken cancellationToken)
    {
        if (!IsOutputName(outputName))
        {
            return null;
        }

        var blob = storage.Container(StorageNames.ResultsContainer).GetBlobClient($"{scene}/{outputName}");
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var stream = await blob.OpenReadAsync(
                new BlobOpenReadOptions(allowModifications: false) { BufferSize = ReadBufferBytes }, cancellationToken).ConfigureAwait(false);
            return new RunOutput(stream, ContentType(outputName), properties.Value.LastModified, properties.Value.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>A training plot of a registry model: {version}/{name} (or models/{version}/{name}) in the models container.</summary>
    public async Task<RunOutput?> OpenModelPlotAsync(string version, string name, CancellationToken cancellationToken)
    {
        if (!IsPlotName(name) || version.Contains('/', StringComparison.Ordinal) || version.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var container = storage.Container("models");
        foreach (var blobName in new[] { $"{version}/{name}", $"models/{version}/{name}" })
        {
            var blob = container.GetBlobClient(blobName);
            try
            {
                var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken).ConfigureAwait(false);
                return new RunOutput(stream, "image/png", properties.Value.LastModified, properties.Value.ETag.ToString());
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The registry may sit at the container root or under models/.
            }
        }

        return null;
    }

    private static bool IsPlotName(string name) =>
        name.StartsWith("plot-", StringComparison.Ordinal) && name.EndsWith(".png", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.') && !name.Contains("..", StringComparison.Ordinal);

    private static async Task<string?> PromotedVersionAsync(BlobContainerClient container, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { "current.json", "models/current.json" })
        {
            try
            {
                var content = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                using var pointer = JsonDocument.Parse(content.Value.Content.ToMemory());
                if (pointer.RootElement.TryGetProperty("version", out var version))
                {
                    return version.GetString();
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The pointer sits at one of the two names, depending on how the registry was laid out.
            }
        }

        return null;
    }

    private static Dictionary<string, double> Metrics(ModelMetrics? metrics)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (metrics is null)
        {
            return result;
        }

        void Add(string name, double? value)
        {
            if (value is { } v)
            {
                result[name] = v;
            }
        }

        Add("precision", metrics.Precision);
        Add("recall", metrics.Recall);
        Add("f1", metrics.F1);
        Add("iou", metrics.Iou);
        Add("mean_f1", metrics.MeanF1);
        Add("mean_iou", metrics.MeanIou);
        return result;
    }

    internal static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".tif" => "image/tiff",
        ".geojson" => "application/geo+json",
        ".png" => "image/png",
        ".html" => "text/html; charset=utf-8",
        _ => "application/json",
    };
}
