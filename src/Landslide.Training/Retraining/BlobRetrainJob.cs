using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Raster;
using Landslide.Training.Data;
using Landslide.Training.Evaluation;
using Landslide.Training.Export;
using Landslide.Training.Labels;
using Landslide.Training.Modeling;
using Landslide.Training.Registry;
using Landslide.Training.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Training.Retraining;

/// <summary>
/// The retrain job against blob storage (docs/ARCHITECTURE.md, "Retraining from labelled scenes"): reads training/ in place (GDAL range reads of
/// each pair through a read-only SAS; HDF5 patches one at a time), splits it into training and evaluation data (L4S
/// holdout ids + hash-of-name held-out pairs, never trained on), fine-tunes the promoted model's checkpoint (or trains
/// from scratch), scores candidate and current model on the same evaluation set, publishes models/{version}/ and moves
/// current.json (ETag-guarded) only when the gate passes. The checkpoint is copied to models/checkpoints/retrain/
/// after every epoch and resumed by a rerun of the same run (same settings + data fingerprint); any other is discarded.
/// </summary>
public sealed partial class BlobRetrainJob
{
    /// <summary>Where the running job's checkpoint lives in the models container (one retrain job at a time).</summary>
    public const string RunCheckpointPrefix = "checkpoints/retrain/";

    private readonly TrainingStore _training;
    private readonly BlobModelRegistry _registry;
    private readonly IThresholdSelector _thresholds;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public BlobRetrainJob(
        BlobContainerClient training,
        BlobContainerClient models,
        IThresholdSelector? thresholds = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        _training = new TrainingStore(training);
        _registry = new BlobModelRegistry(models);
        _thresholds = thresholds ?? new FixedThresholdSelector();
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<BlobRetrainJob>();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Sees the tile ids of every training batch (audits and tests: held-out pairs never appear).</summary>
    public Action<IReadOnlyList<string>>? BatchObserver { get; init; }

    /// <summary>Called after each epoch's checkpoint reached blob storage, with the epochs done.</summary>
    public Action<int>? CheckpointUploaded { get; init; }

    public Task<RetrainResult> RunAsync(RetrainJobOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() => RunCoreAsync(options, cancellationToken), cancellationToken);
    }

    /// <summary>The data fingerprint of what is in training/ now (the schedule compares it with the current model's).</summary>
    public async Task<(string Fingerprint, IReadOnlyList<TrainingDataItem> Items)> DataAsync(RetrainJobOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pairs = await _training.ListPairsAsync(cancellationToken).ConfigureAwait(false);
        var patches = await _training.ListL4sPatchesAsync(cancellationToken).ConfigureAwait(false);
        var items = pairs.Select(p => new TrainingDataItem(p.Name, p.ContentHash, EvaluationSplit.IsHeldOut(p.Name, options.HeldOutShare) ? TrainingDataItem.Evaluation : TrainingDataItem.Train))
            .Concat(patches.Select(p => new TrainingDataItem(p.Name, p.ContentHash, options.HoldoutIds.Contains(p.Id) ? TrainingDataItem.Evaluation : TrainingDataItem.Train)))
            .ToList();
        return (TrainingDataFingerprint.Compute(items.Select(i => (i.Name, i.Hash))), items);
    }

    private async Task<RetrainResult> RunCoreAsync(RetrainJobOptions options, CancellationToken cancellationToken)
    {
        var work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), $"landslide-retrain-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            return await RunInAsync(options, work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (options.WorkDirectory is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private async Task<RetrainResult> RunInAsync(RetrainJobOptions options, string work, CancellationToken cancellationToken)
    {
        var (dataFingerprint, items) = await DataAsync(options, cancellationToken).ConfigureAwait(false);
        var current = await _registry.CurrentAsync(cancellationToken).ConfigureAwait(false);

        // Fine-tune from the promoted model's checkpoint unless asked not to, or there is none to start from.
        var parentDir = Path.Combine(work, "parent");
        var parent = !options.FromScratch && current is not null
            && await _registry.DownloadCheckpointAsync(current.Manifest.Version, parentDir, cancellationToken).ConfigureAwait(false)
            ? current.Manifest.Version
            : null;
        if (!options.FromScratch && current is not null && parent is null)
        {
            LogNoParentCheckpoint(current.Manifest.Version);
        }

        var recipe = options.Training;
        if (parent is not null)
        {
            // The fine-tuned network keeps the parent's shape; the width setting applies to training from scratch.
            recipe = recipe with { Model = TrainingCheckpoint.ReadState(parentDir).Model };
        }

        var runFingerprint = RunFingerprint.Compute(recipe, dataFingerprint, parent);
        var version = options.Version ?? string.Create(CultureInfo.InvariantCulture, $"rau{recipe.Model.Width}-{runFingerprint["sha256:".Length..][..12]}");
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await _registry.ExistsAsync(version, cancellationToken).ConfigureAwait(false))
        {
            // A retried job whose first attempt already published: the result is recorded once.
            var existing = await _registry.ReadManifestAsync(version, cancellationToken).ConfigureAwait(false);
            LogAlreadyPublished(version);
            return new RetrainResult(existing, existing.Promotion?.Promoted ?? false, null, null, dataFingerprint, runFingerprint, 0, false, true, skipped);
        }

        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["Version"] = version, ["DataFingerprint"] = dataFingerprint });
        var checkpointDir = Path.Combine(work, "checkpoint");
        var (resumedAfter, discarded) = await FetchRunCheckpointAsync(checkpointDir, runFingerprint, cancellationToken).ConfigureAwait(false);

        var train = new List<LabelledTile>();
        var evaluation = new List<LabelledTile>();
        var pairs = await _training.ListPairsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var pair in pairs)
        {
            var target = EvaluationSplit.IsHeldOut(pair.Name, options.HeldOutShare) ? evaluation : train;
            try
            {
                target.AddRange(await LoadPairAsync(pair, work, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is TrainingDataException or SceneRejectedException or GdalException or RequestFailedException or InvalidDataException or IOException)
            {
                // A corrupt or mismatched pair is reported by name and skipped; the other pairs still train.
                skipped[pair.Name] = e.Message;
                LogSkipped(pair.Name, e.Message);
            }
        }

        foreach (var patch in await _training.ListL4sPatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            var target = options.HoldoutIds.Contains(patch.Id) ? evaluation : train;
            try
            {
                target.Add(await LoadPatchAsync(patch, work, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is TrainingDataException or RequestFailedException or InvalidDataException or IOException)
            {
                skipped[patch.Name] = e.Message;
                LogSkipped(patch.Name, e.Message);
            }
        }

        LogData(train.Count, evaluation.Count, skipped.Count, dataFingerprint);
        if (train.Count == 0)
        {
            throw new TrainingDataException(TrainingDataError.NotEnoughData, $"no training tiles in training/ ({evaluation.Count} evaluation tiles, {skipped.Count} skipped items)");
        }

        var selector = options.ThresholdFolds >= 2 ? new OutOfFoldThresholdSelector(options.ThresholdFolds, _loggers) : _thresholds;
        var threshold = selector.Select(train, recipe, current?.Manifest.Threshold ?? recipe.Threshold, cancellationToken);
        var trainer = new Trainer(
            recipe with
            {
                Threshold = threshold,
                CheckpointDirectory = checkpointDir,
                CheckpointFingerprint = runFingerprint,
                InitialCheckpoint = parent is null ? null : parentDir,
            },
            _loggers.CreateLogger<Trainer>())
        {
            BatchObserver = BatchObserver,
            CheckpointWritten = epochs =>
            {
                UploadRunCheckpoint(checkpointDir, cancellationToken);
                CheckpointUploaded?.Invoke(epochs);
            },
        };
        var trained = trainer.Train(train, null, cancellationToken);
        using var model = trained.Model;

        var dataset = $"evaluation-{evaluation.Count} tiles ({string.Join(", ", items.Where(i => i.Role == TrainingDataItem.Evaluation).Select(i => i.Name))})";
        var candidateReport = evaluation.Count > 0 ? Evaluator.Evaluate(model, evaluation, threshold, dataset: dataset) : null;
        EvaluationReport? currentReport = null;
        if (current is not null && parent is not null && evaluation.Count > 0)
        {
            using var currentModel = TrainingCheckpoint.LoadModel(parentDir);
            currentReport = Evaluator.Evaluate(currentModel, evaluation, current.Manifest.Threshold, dataset: dataset);
        }
        else if (current is not null && evaluation.Count > 0 && await _registry.DownloadCheckpointAsync(current.Manifest.Version, parentDir, cancellationToken).ConfigureAwait(false))
        {
            using var currentModel = TrainingCheckpoint.LoadModel(parentDir);
            currentReport = Evaluator.Evaluate(currentModel, evaluation, current.Manifest.Threshold, dataset: dataset);
        }

        var now = _time.GetUtcNow();
        var decision = Decide(candidateReport, current, currentReport, options.PromotionTolerance, now);
        var m = candidateReport?.AtThreshold;
        var manifest = new ModelManifest
        {
            Version = version,
            Sha256 = new string('0', 64),
            Width = model.Options.Width,
            FeatureVersion = ModelContract.FeatureVersion,
            Input = ModelManifest.ContractInput,
            Output = ModelManifest.ContractOutput,
            Threshold = threshold,
            Metrics = m is null ? null : new ModelMetrics
            {
                EvaluatedOn = dataset,
                Precision = Math.Round(m.LandslidePrecision, 4),
                Recall = Math.Round(m.LandslideRecall, 4),
                F1 = Math.Round(m.LandslideF1, 4),
                Iou = Math.Round(m.LandslideIoU, 4),
                MeanF1 = Math.Round(m.MeanF1, 4),
                MeanIou = Math.Round(m.MeanIoU, 4),
            },
            TrainingDataFingerprint = dataFingerprint,
            CreatedAt = now,
            Training = new ModelTrainingInfo
            {
                TrainedOn = $"training/ blobs: {train.Count} tiles from {items.Count(i => i.Role == TrainingDataItem.Train)} items",
                Epochs = trained.History.Count,
                BatchSize = recipe.BatchSize,
                LearningRateScale = recipe.LearningRateScale,
                Seed = recipe.Seed,
                Attention = model.Options.Attention.ToString(),
                FinalLoss = trained.History.Count > 0 ? Math.Round(trained.History[^1].MeanLoss, 5) : null,
                Command = options.Command,
                Notes = parent is null ? "trained from scratch" : $"fine-tuned from {parent}",
            },
            Promotion = decision,
        };

        var record = new TrainingDataRecord
        {
            Fingerprint = dataFingerprint,
            Items = [.. items.Select(i => skipped.ContainsKey(i.Name) ? i with { Role = TrainingDataItem.Skipped } : i)],
            Skipped = skipped,
        };
        var comparison = new
        {
            evaluated_on = dataset,
            candidate = new { version, metrics = candidateReport?.AtThreshold },
            current = current is null ? null : new { version = current.Manifest.Version, metrics = currentReport?.AtThreshold },
            parent_version = parent,
            run_fingerprint = runFingerprint,
        };
        var onnx = OnnxExporter.ToBytes(model);
        var (published, moved) = await _registry.PublishAsync(
            onnx, manifest, record, comparison, checkpointDir, decision.Promoted, current?.PointerETag, cancellationToken).ConfigureAwait(false);
        if (decision.Promoted && !moved)
        {
            published = published with { Promotion = decision with { Promoted = false, Reason = "current.json moved while this model trained: not promoted, retrain again" } };
            await _registry.Container.GetBlobClient($"{version}/{ModelManifest.FileName}")
                .UploadAsync(BinaryData.FromObjectAsJson(published), overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        await _registry.Container.GetBlobClient($"{version}/{ModelEvents.FileName}")
            .UploadAsync(new BinaryData(ModelEvents.Create(published, candidateReport, current?.Manifest.Version, currentReport)), overwrite: true, cancellationToken)
            .ConfigureAwait(false);
        LogPublished(version, published.Promotion?.Promoted ?? false, published.Promotion?.Reason ?? string.Empty);
        return new RetrainResult(published, published.Promotion?.Promoted ?? false, candidateReport, currentReport, dataFingerprint, runFingerprint, resumedAfter, discarded, false, skipped);
    }

    private static ModelPromotion Decide(EvaluationReport? candidate, CurrentModel? current, EvaluationReport? currentReport, double tolerance, DateTimeOffset now)
    {
        if (candidate is null)
        {
            return new ModelPromotion
            {
                Promoted = current is null,
                CurrentVersion = current?.Manifest.Version,
                Tolerance = tolerance,
                Reason = current is null ? "no evaluation data and no current model" : "no evaluation data: the gate cannot compare, current model kept",
                DecidedAt = now,
            };
        }

        // Both models scored in this run on the same data; a current model without a checkpoint is judged by its recorded F1.
        var scoredCurrent = current is null ? null : current.Manifest with
        {
            Metrics = currentReport is null
                ? current.Manifest.Metrics
                : new ModelMetrics { EvaluatedOn = currentReport.Dataset, F1 = Math.Round(currentReport.AtThreshold.LandslideF1, 4) },
        };
        return PromotionGate.Decide(Math.Round(candidate.AtThreshold.LandslideF1, 4), scoredCurrent, tolerance, now);
    }

    private async Task<(int ResumedAfter, bool Discarded)> FetchRunCheckpointAsync(string directory, string runFingerprint, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await foreach (var blob in _registry.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, RunCheckpointPrefix, cancellationToken).ConfigureAwait(false))
        {
            await _registry.Container.GetBlobClient(blob.Name).DownloadToAsync(Path.Combine(directory, Path.GetFileName(blob.Name)), cancellationToken).ConfigureAwait(false);
        }

        if (!TrainingCheckpoint.Exists(directory))
        {
            return (0, false);
        }

        var state = TrainingCheckpoint.ReadState(directory);
        if (state.Fingerprint == runFingerprint)
        {
            LogResuming(state.CompletedEpochs);
            return (state.CompletedEpochs, false);
        }

        LogDiscarding(state.Fingerprint ?? "none", runFingerprint);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            File.Delete(file);
        }

        return (0, true);
    }

    private void UploadRunCheckpoint(string directory, CancellationToken cancellationToken)
    {
        // The state file goes last: a checkpoint whose state names epoch N has the weights of epoch N.
        foreach (var name in new[] { TrainingCheckpoint.ModelFile, TrainingCheckpoint.OptimizerFile, TrainingCheckpoint.StateFile })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                _registry.Container.GetBlobClient(RunCheckpointPrefix + name).Upload(path, overwrite: true, cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyList<LabelledTile>> LoadPairAsync(LabelledPairManifest pair, string work, CancellationToken cancellationToken)
    {
        var scene = await GdalPathAsync(_training.Container.GetBlobClient($"{pair.Name}/{LabelledPairManifest.SceneFile}"), work, cancellationToken).ConfigureAwait(false);
        var labels = await GdalPathAsync(_training.Container.GetBlobClient($"{pair.Name}/{LabelledPairManifest.LabelsFile}"), work, cancellationToken).ConfigureAwait(false);
        try
        {
            var source = new SceneLabelTileSource(scene.Path, labels.Path, BandProfile.Parse(pair.BandProfile), name: pair.Name);
            return [.. source.Ids.Select(source.Load)];
        }
        finally
        {
            scene.Delete();
            labels.Delete();
        }
    }

    private async Task<LabelledTile> LoadPatchAsync(L4sBlobPatch patch, string work, CancellationToken cancellationToken)
    {
        // One patch at a time through a temp file (PureHDF reads files): the set is never copied whole.
        var folder = Path.Combine(work, "patch");
        Directory.CreateDirectory(Path.Combine(folder, "img"));
        Directory.CreateDirectory(Path.Combine(folder, "mask"));
        var id = patch.Id.ToString(CultureInfo.InvariantCulture);
        var image = Path.Combine(folder, "img", $"image_{id}.h5");
        var mask = Path.Combine(folder, "mask", $"mask_{id}.h5");
        try
        {
            await DownloadAsync(patch.ImageBlob, image).ConfigureAwait(false);
            await DownloadAsync(patch.MaskBlob, mask).ConfigureAwait(false);
            var tile = new L4sPatchSource(folder, [patch.Id]).Load(id);
            return tile with { Id = patch.Name };
        }
        finally
        {
            File.Delete(image);
            File.Delete(mask);
        }

        Task DownloadAsync(string blob, string path) => _training.Container.GetBlobClient(blob).DownloadToAsync(path, cancellationToken);
    }

    private static async Task<GdalSource> GdalPathAsync(BlobClient blob, string work, CancellationToken cancellationToken)
    {
        if (blob.CanGenerateSasUri)
        {
            // Range reads in place: GDAL fetches only the blocks a tile strip needs.
            var sas = blob.GenerateSasUri(new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(2))
            {
                BlobContainerName = blob.BlobContainerName,
                BlobName = blob.Name,
                Resource = "b",
                StartsOn = DateTimeOffset.UtcNow.AddMinutes(-5),
            });
            return new GdalSource("/vsicurl/" + sas.AbsoluteUri, null);
        }

        var path = Path.Combine(work, $"{Guid.NewGuid():N}.tif");
        await blob.DownloadToAsync(path, cancellationToken).ConfigureAwait(false);
        return new GdalSource(path, path);
    }

    private sealed record GdalSource(string Path, string? Temp)
    {
        public void Delete()
        {
            if (Temp is not null)
            {
                File.Delete(Temp);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The promoted model {Version} has no checkpoint to fine-tune: training from scratch")]
    private partial void LogNoParentCheckpoint(string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Version} was published by an earlier attempt of this run; nothing to do")]
    private partial void LogAlreadyPublished(string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Item}: {Reason}")]
    private partial void LogSkipped(string item, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data: {Train} training tiles, {Evaluation} evaluation tiles, {Skipped} items skipped (fingerprint {Fingerprint})")]
    private partial void LogData(int train, int evaluation, int skipped, string fingerprint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the blob checkpoint after epoch {Epoch}")]
    private partial void LogResuming(int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The blob checkpoint is from other settings or data (fingerprint {Found}, this run {Expected}): not reused, starting fresh")]
    private partial void LogDiscarding(string found, string expected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Version}: promoted {Promoted} ({Reason})")]
    private partial void LogPublished(string version, bool promoted, string reason);
}
