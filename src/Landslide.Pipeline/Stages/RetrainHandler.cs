using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Landslide.Core.Segmentation;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Stages;

/// <summary>
/// The retrain schedule: counts labelled pairs in training/ (img/image_N.h5 + mask/mask_N.h5, the Landslide4Sense
/// layout) newer than the current model (models/current.json -> manifest created_at) and, when there are enough,
/// starts the training job once per new set of data. The job trains, registers and gates the model itself.
/// </summary>
public sealed partial class RetrainHandler(
    PipelineStorage storage,
    ITrainingJobStarter starter,
    IOptions<RetrainOptions> options,
    ILogger<RetrainHandler> logger)
{
    public async Task<RetrainOutcome> HandleAsync(CancellationToken cancellationToken)
    {
        var (currentVersion, since) = await CurrentModelAsync(cancellationToken).ConfigureAwait(false);
        var images = new Dictionary<string, (DateTimeOffset Modified, string ETag)>(StringComparer.Ordinal);
        var masks = new Dictionary<string, (DateTimeOffset Modified, string ETag)>(StringComparer.Ordinal);
        await foreach (var blob in storage.Container(StorageNames.TrainingContainer).GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var match = PairFile().Match(blob.Name);
            if (!match.Success)
            {
                continue;
            }

            var entry = (blob.Properties.LastModified ?? DateTimeOffset.MinValue, blob.Properties.ETag?.ToString() ?? string.Empty);
            (match.Groups["kind"].Value == "img" ? images : masks)[match.Groups["id"].Value] = entry;
        }

        var fresh = images.Keys.Where(masks.ContainsKey)
            .Where(id => Max(images[id].Modified, masks[id].Modified) > since)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (fresh.Count < options.Value.MinNewPairs)
        {
            LogNotEnough(fresh.Count, currentVersion ?? "none");
            return new RetrainOutcome(false, fresh.Count, $"{fresh.Count} new labelled pairs since model {currentVersion ?? "none"}; {options.Value.MinNewPairs} needed");
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', fresh.Select(id => $"{id}:{images[id].ETag}:{masks[id].ETag}")))))[..16];
        var table = storage.Runs;
        var state = await table.GetEntityIfExistsAsync<RetrainStateEntity>(RetrainStateEntity.PartitionKeyValue, RetrainStateEntity.RowKeyValue, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (state.HasValue && state.Value!.LastFingerprint == fingerprint)
        {
            LogAlreadyStarted(fingerprint, state.Value.LastJobId);
            return new RetrainOutcome(false, fresh.Count, $"a retrain for these {fresh.Count} pairs was started already ({state.Value.LastJobId})", state.Value.LastJobId);
        }

        var jobId = await starter.StartAsync(new RetrainRequest(fresh.Count, fingerprint, currentVersion), cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new RetrainStateEntity { LastFingerprint = fingerprint, LastJobId = jobId, StartedAt = DateTimeOffset.UtcNow }, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        LogStarted(fresh.Count, currentVersion ?? "none", jobId);
        return new RetrainOutcome(true, fresh.Count, $"{fresh.Count} new labelled pairs since model {currentVersion ?? "none"}", jobId);
    }

    private async Task<(string? Version, DateTimeOffset Since)> CurrentModelAsync(CancellationToken cancellationToken)
    {
        var models = storage.Container(StorageNames.ModelsContainer);
        try
        {
            var pointer = (await models.GetBlobClient("current.json").DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            var version = JsonDocument.Parse(pointer.ToMemory()).RootElement.GetProperty("version").GetString()
                ?? throw new InvalidDataException("models/current.json has no version");
            var manifest = (await models.GetBlobClient($"{version}/{ModelManifest.FileName}").DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            var createdAt = manifest.ToObjectFromJson<ModelManifest>()?.CreatedAt ?? DateTimeOffset.MinValue;
            return (version, createdAt);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, DateTimeOffset.MinValue);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [GeneratedRegex(@"^(?:.*/)?(?<kind>img|mask)/(?:image|mask)_(?<id>[A-Za-z0-9_-]+)\.h5$")]
    private static partial Regex PairFile();

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrain not started: {Pairs} new labelled pairs since model {Model}")]
    private partial void LogNotEnough(int pairs, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrain for data {Fingerprint} was started already ({JobId})")]
    private partial void LogAlreadyStarted(string fingerprint, string? jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrain started for {Pairs} new labelled pairs since model {Model}: job {JobId}")]
    private partial void LogStarted(int pairs, string model, string jobId);
}
