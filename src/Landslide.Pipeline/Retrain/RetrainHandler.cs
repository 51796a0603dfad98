using System.Text.Json;
using Azure;
using Landslide.Core.Segmentation;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Retrain;

/// <summary>
/// The retrain check (schedule, HTTP function, `landslide serve retrain`): fingerprints training/ (labelled pairs and
/// Landslide4Sense patches, <see cref="TrainingDataScan"/>) and starts the training job when that fingerprint differs
/// from the current model's (models/current.json -> manifest training_data_fingerprint) by at least
/// Training:MinNewPairs items, once per fingerprint. The job trains, registers and gates the model itself.
/// </summary>
public sealed partial class RetrainHandler(
    PipelineStorage storage,
    ITrainingJobStarter starter,
    IOptions<RetrainOptions> options,
    ILogger<RetrainHandler> logger)
{
    public Task<RetrainOutcome> HandleAsync(CancellationToken cancellationToken) => HandleAsync(force: false, cancellationToken);

    /// <param name="force">On demand: start even when the data has not changed or a job for it was started already.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public async Task<RetrainOutcome> HandleAsync(bool force, CancellationToken cancellationToken)
    {
        var items = await TrainingDataScan.ItemsAsync(storage.Container(StorageNames.TrainingContainer), cancellationToken).ConfigureAwait(false);
        var fingerprint = TrainingDataFingerprint.Compute(items.Select(i => (i.Key, i.Value)));
        var (currentVersion, currentFingerprint, currentItems) = await CurrentModelAsync(cancellationToken).ConfigureAwait(false);
        var changed = items.Count(i => !currentItems.TryGetValue(i.Key, out var hash) || hash != i.Value)
            + currentItems.Keys.Count(k => !items.ContainsKey(k));
        if (items.Count == 0)
        {
            LogSkipped("training/ holds no labelled data", currentVersion ?? "none");
            return new RetrainOutcome(false, 0, "training/ holds no labelled pairs or patches");
        }

        if (!force && fingerprint == currentFingerprint)
        {
            LogSkipped("data fingerprint unchanged", currentVersion ?? "none");
            return new RetrainOutcome(false, 0, $"training data unchanged since model {currentVersion} ({fingerprint})");
        }

        if (!force && changed < options.Value.MinNewPairs)
        {
            LogSkipped($"{changed} changed items", currentVersion ?? "none");
            return new RetrainOutcome(false, changed, $"{changed} new or changed items since model {currentVersion ?? "none"}; {options.Value.MinNewPairs} needed");
        }

        var table = storage.Runs;
        var state = await table.GetEntityIfExistsAsync<RetrainStateEntity>(RetrainStateEntity.PartitionKeyValue, RetrainStateEntity.RowKeyValue, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (!force && state.HasValue && state.Value!.LastFingerprint == fingerprint)
        {
            LogAlreadyStarted(fingerprint, state.Value.LastJobId);
            return new RetrainOutcome(false, changed, $"a retrain for data {fingerprint} was started already ({state.Value.LastJobId})", state.Value.LastJobId);
        }

        var jobId = await starter.StartAsync(new RetrainRequest(changed, fingerprint, currentVersion), cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new RetrainStateEntity { LastFingerprint = fingerprint, LastJobId = jobId, StartedAt = DateTimeOffset.UtcNow }, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        LogStarted(changed, currentVersion ?? "none", jobId);
        return new RetrainOutcome(true, changed, $"{changed} new or changed items since model {currentVersion ?? "none"}", jobId);
    }

    private async Task<(string? Version, string? Fingerprint, IReadOnlyDictionary<string, string> Items)> CurrentModelAsync(CancellationToken cancellationToken)
    {
        var models = storage.Container(StorageNames.ModelsContainer);
        var none = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var pointer = (await models.GetBlobClient("current.json").DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            var version = JsonDocument.Parse(pointer.ToMemory()).RootElement.GetProperty("version").GetString()
                ?? throw new InvalidDataException("models/current.json has no version");
            var manifest = (await models.GetBlobClient($"{version}/{ModelManifest.FileName}").DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content
                .ToObjectFromJson<ModelManifest>();
            return (version, manifest?.TrainingDataFingerprint, await ItemsOfAsync(version, cancellationToken).ConfigureAwait(false));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null, none);
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> ItemsOfAsync(string version, CancellationToken cancellationToken)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var content = (await storage.Container(StorageNames.ModelsContainer).GetBlobClient($"{version}/training-data.json").DownloadContentAsync(cancellationToken)
                .ConfigureAwait(false)).Value.Content;
            using var document = JsonDocument.Parse(content.ToMemory());
            foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
            {
                items[item.GetProperty("name").GetString() ?? string.Empty] = item.GetProperty("hash").GetString() ?? string.Empty;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // A model from elsewhere (embedded, imported) records no item list: every item counts as new.
        }

        return items;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrain not started ({Why}); current model {Model}")]
    private partial void LogSkipped(string why, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrain for data {Fingerprint} was started already ({JobId})")]
    private partial void LogAlreadyStarted(string fingerprint, string? jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrain started for {Items} new or changed items since model {Model}: job {JobId}")]
    private partial void LogStarted(int items, string model, string jobId);
}
