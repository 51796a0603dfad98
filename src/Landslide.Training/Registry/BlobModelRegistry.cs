using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Landslide.Core.Segmentation;

namespace Landslide.Training.Registry;

/// <summary>
/// The model registry in blob container <c>models</c>, in the layout of the folder registry (<see cref="ModelRegistry"/>):
/// <c>{version}/model.onnx</c>, <c>manifest.json</c>, <c>training-data.json</c>, <c>evaluation.json</c>,
/// <c>checkpoint/</c>, and the pointer <c>current.json</c> = <c>{"version": "..."}</c>, moved only with an ETag-guarded write.
/// </summary>
public sealed class BlobModelRegistry(BlobContainerClient models)
{
    public const string PointerBlob = ModelRegistry.PointerFile;
    public const string CheckpointFolder = "checkpoint";
    public const string EvaluationFile = "evaluation.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public BlobContainerClient Container { get; } = models;

    /// <summary>The promoted model, or null when current.json is missing.</summary>
    public async Task<CurrentModel?> CurrentAsync(CancellationToken cancellationToken)
    {
        var pointer = Container.GetBlobClient(PointerBlob);
        BlobDownloadResult content;
        try
        {
            content = (await pointer.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        using var document = JsonDocument.Parse(content.Content.ToMemory());
        var version = document.RootElement.GetProperty("version").GetString();
        if (string.IsNullOrEmpty(version))
        {
            return null;
        }

        var manifest = await ReadManifestAsync(version, cancellationToken).ConfigureAwait(false);
        var data = await ReadJsonAsync<TrainingDataRecord>($"{version}/{TrainingDataRecord.FileName}", cancellationToken).ConfigureAwait(false);
        return new CurrentModel(manifest, data, content.Details.ETag);
    }

    public async Task<ModelManifest> ReadManifestAsync(string version, CancellationToken cancellationToken) =>
        await ReadJsonAsync<ModelManifest>($"{version}/{ModelManifest.FileName}", cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidDataException($"models/{version}/{ModelManifest.FileName} is missing");

    /// <summary>True when models/{version}/manifest.json exists (a version is written once).</summary>
    public async Task<bool> ExistsAsync(string version, CancellationToken cancellationToken) =>
        await Container.GetBlobClient($"{version}/{ModelManifest.FileName}").ExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Writes models/{version}/ (files first, manifest last, sha256 filled in) and, when <paramref name="promote"/>,
    /// moves current.json with If-Match on <paramref name="expectedPointer"/> (If-None-Match * when there was none).
    /// Returns false when the pointer moved meanwhile: the model stays published but not promoted.
    /// </summary>
    public async Task<(ModelManifest Manifest, bool PointerMoved)> PublishAsync(
        byte[] onnx,
        ModelManifest manifest,
        TrainingDataRecord data,
        object evaluation,
        string? checkpointDirectory,
        bool promote,
        ETag? expectedPointer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(manifest);
        var version = manifest.Version;
        var complete = manifest with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)) };
        await Container.GetBlobClient($"{version}/{ModelManifest.ModelFileName}").UploadAsync(new BinaryData(onnx), overwrite: true, cancellationToken).ConfigureAwait(false);
        await UploadJsonAsync($"{version}/{TrainingDataRecord.FileName}", data, cancellationToken).ConfigureAwait(false);
        await UploadJsonAsync($"{version}/{EvaluationFile}", evaluation, cancellationToken).ConfigureAwait(false);
        if (checkpointDirectory is not null)
        {
            foreach (var file in Directory.EnumerateFiles(checkpointDirectory).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)))
            {
                await Container.GetBlobClient($"{version}/{CheckpointFolder}/{Path.GetFileName(file)}").UploadAsync(file, overwrite: true, cancellationToken).ConfigureAwait(false);
            }
        }

        await UploadJsonAsync($"{version}/{ModelManifest.FileName}", complete, cancellationToken).ConfigureAwait(false);
        if (!promote)
        {
            return (complete, false);
        }

        var conditions = expectedPointer is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await Container.GetBlobClient(PointerBlob).UploadAsync(
                BinaryData.FromString(JsonSerializer.Serialize(new { version }) + "\n"),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken).ConfigureAwait(false);
            return (complete, true);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return (complete, false);
        }
    }

    /// <summary>Downloads models/{version}/checkpoint/ into <paramref name="directory"/>; false when the model has none.</summary>
    public async Task<bool> DownloadCheckpointAsync(string version, string directory, CancellationToken cancellationToken)
    {
        var any = false;
        Directory.CreateDirectory(directory);
        await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{version}/{CheckpointFolder}/", cancellationToken).ConfigureAwait(false))
        {
            await Container.GetBlobClient(blob.Name).DownloadToAsync(Path.Combine(directory, Path.GetFileName(blob.Name)), cancellationToken).ConfigureAwait(false);
            any = true;
        }

        return any && TrainingCheckpoint.Exists(directory);
    }

    private async Task<T?> ReadJsonAsync<T>(string name, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await Container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            return content.ToObjectFromJson<T>();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return default;
        }
    }

    private Task UploadJsonAsync(string name, object value, CancellationToken cancellationToken) =>
        Container.GetBlobClient(name).UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(value, value.GetType(), Json) + "\n"), overwrite: true, cancellationToken);
}
