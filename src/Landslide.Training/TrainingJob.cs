using System.Globalization;
using Landslide.Core.Segmentation;
using Landslide.Training.Data;
using Landslide.Training.Evaluation;
using Landslide.Training.Export;
using Landslide.Training.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Training;

/// <summary>
/// The whole training job (docs/ARCHITECTURE.md): train -> evaluate on the frozen holdout -> export ONNX -> manifest ->
/// models/{version}/ (+ promotion gate when publishing to a registry). `landslide train` and the container call this.
/// </summary>
public sealed partial class TrainingJob
{
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public TrainingJob(ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<TrainingJob>();
        _time = timeProvider ?? TimeProvider.System;
    }

    public Task<TrainingJobResult> RunAsync(TrainingJobOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.OutputDirectory is null && options.RegistryRoot is null)
        {
            throw new ArgumentException("set OutputDirectory or RegistryRoot", nameof(options));
        }

        // libtorch blocks its calling thread; keep it off the caller's synchronization context.
        return Task.Run(() => Run(options, cancellationToken), cancellationToken);
    }

    private TrainingJobResult Run(TrainingJobOptions options, CancellationToken cancellationToken)
    {
        var holdoutIds = options.HoldoutIds.Select(Id).ToList();
        var all = new L4sPatchSource(options.DataDirectory);
        var trainIds = options.TrainIds is { } chosen ? [.. chosen.Select(Id)] : all.Ids.Except(holdoutIds).ToList();
        FoldSplit.EnsureNoHoldout(trainIds, holdoutIds);
        IReadOnlyList<string> validationIds = [];
        if (options.Fold is { } fold)
        {
            (var foldTrain, validationIds) = FoldSplit.Split(trainIds, fold);
            trainIds = [.. foldTrain];
        }

        var trainSource = new L4sPatchSource(options.DataDirectory, trainIds.Select(int.Parse));
        var holdoutSource = new L4sPatchSource(options.DataDirectory, options.HoldoutIds);
        var train = trainSource.Ids.Select(trainSource.Load).ToList();
        var validation = validationIds.Select(all.Load).ToList();
        var holdout = holdoutSource.Ids.Select(holdoutSource.Load).ToList();
        LogData(_logger, train.Count, validation.Count, holdout.Count);

        // A checkpoint from other settings or data is never resumed under this run (Trainer starts fresh and says so).
        var recipe = options.Training.CheckpointDirectory is null
            ? options.Training
            : options.Training with { CheckpointFingerprint = RunFingerprint.Compute(options.Training, trainSource.Fingerprint(), parentVersion: null) };
        var trainer = new Trainer(recipe, _loggers.CreateLogger<Trainer>());
        var result = trainer.Train(train, validation, cancellationToken);
        using var model = result.Model;

        var holdoutName = $"l4s-holdout-{holdout.Count} ({string.Join(", ", holdoutSource.Ids)})";
        var report = Evaluator.Evaluate(model, holdout, options.Training.Threshold, dataset: holdoutName);
        var m = report.AtThreshold;
        LogHoldout(_logger, m.LandslidePrecision, m.LandslideRecall, m.LandslideF1, m.LandslideIoU, m.MeanF1, m.MeanIoU);

        var now = _time.GetUtcNow();
        var width = model.Options.Width;
        var version = options.Version ?? $"rau{width}-{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
        var manifest = new ModelManifest
        {
            Version = version,
            Sha256 = new string('0', 64),
            Width = width,
            FeatureVersion = ModelContract.FeatureVersion,
            Input = ModelManifest.ContractInput,
            Output = ModelManifest.ContractOutput,
            Threshold = options.Training.Threshold,
            MinAreaM2 = options.MinAreaM2,
            MinMeanProbability = options.MinMeanProbability,
            Metrics = new ModelMetrics
            {
                EvaluatedOn = holdoutName,
                Precision = Math.Round(m.LandslidePrecision, 4),
                Recall = Math.Round(m.LandslideRecall, 4),
                F1 = Math.Round(m.LandslideF1, 4),
                Iou = Math.Round(m.LandslideIoU, 4),
                MeanF1 = Math.Round(m.MeanF1, 4),
                MeanIou = Math.Round(m.MeanIoU, 4),
            },
            TrainingDataFingerprint = trainSource.Fingerprint(),
            CreatedAt = now,
            Training = new ModelTrainingInfo
            {
                TrainedOn = $"l4s-train-{train.Count} ({string.Join(", ", trainSource.Ids)})",
                Epochs = result.History.Count,
                BatchSize = options.Training.BatchSize,
                LearningRateScale = options.Training.LearningRateScale,
                Seed = options.Training.Seed,
                Attention = model.Options.Attention.ToString(),
                FinalLoss = result.History.Count > 0 ? Math.Round(result.History[^1].MeanLoss, 5) : null,
                Command = options.Command,
                Notes = options.Notes,
            },
        };

        var onnx = OnnxExporter.ToBytes(model);
        string folder;
        if (options.RegistryRoot is { } root)
        {
            manifest = new ModelRegistry(root).Publish(onnx, manifest, options.PromotionTolerance, now);
            folder = Path.Combine(root, version);
        }
        else
        {
            folder = options.OutputDirectory!;
            manifest = ModelRegistry.WriteModel(folder, onnx, manifest);
        }

        LogWritten(_logger, version, folder, manifest.Promotion?.Promoted);
        return new TrainingJobResult(manifest, report, result.History, folder);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data: {Train} training tiles, {Validation} validation tiles, {Holdout} holdout tiles")]
    private static partial void LogData(ILogger logger, int train, int validation, int holdout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Holdout: landslide P {Precision:F4} R {Recall:F4} F1 {F1:F4} IoU {IoU:F4}; two-class mean F1 {MeanF1:F4} mIoU {MeanIoU:F4}")]
    private static partial void LogHoldout(ILogger logger, double precision, double recall, double f1, double iou, double meanF1, double meanIoU);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote model {Version} to {Folder} (promoted: {Promoted})")]
    private static partial void LogWritten(ILogger logger, string version, string folder, bool? promoted);
}
