using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.Training.Data;
using Landslide.Training.Evaluation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Training.CrossValidation;

/// <summary>
/// K-fold cross-validation on training tiles only (docs/MODEL.md split: natural order, contiguous blocks, fold 1 tests on
/// the last block): each fold's model predicts its test block, so every tile gets one out-of-fold prediction. The
/// holdout is never read here. With a work folder each finished fold is kept (fold{k}/oof.bin + fold.json) and
/// reused by a rerun with the same settings and data; a fold with other settings or data is retrained, and the log
/// says so.
/// </summary>
public sealed partial class CrossValidator
{
    public const string FoldFile = "fold.json";
    public const string PredictionFile = "oof.bin";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    public CrossValidator(ILoggerFactory? loggerFactory = null)
    {
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<CrossValidator>();
    }

    /// <summary>Runs folds 1..<paramref name="folds"/> on <paramref name="tiles"/> (training tiles only).</summary>
    /// <param name="tiles">The training tiles; ids are split in natural order.</param>
    /// <param name="training">The recipe of every fold model (its checkpoint folder is ignored: see <paramref name="workDirectory"/>).</param>
    /// <param name="folds">K, at least 2 and at most the tile count.</param>
    /// <param name="workDirectory">Where fold predictions and checkpoints are kept for resume; null = nothing kept.</param>
    /// <param name="cancellationToken">Checked between training steps.</param>
    public CrossValidationResult Run(IReadOnlyList<LabelledTile> tiles, TrainingOptions training, int folds, string? workDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var byId = tiles.ToDictionary(t => t.Id, StringComparer.Ordinal);
        if (byId.Count != tiles.Count)
        {
            throw new TrainingDataException(TrainingDataError.WrongShape, "cross-validation tiles must have distinct ids");
        }

        var outcomes = new List<FoldOutcome>(folds);
        var predictions = new List<TilePrediction>(tiles.Count);
        for (var fold = 1; fold <= folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (trainIds, testIds) = FoldSplit.Split(byId.Keys, fold, folds);
            var foldDirectory = workDirectory is null ? null : Path.Combine(workDirectory, $"fold{fold}");
            var key = SettingsKey(training, trainIds, testIds, byId);
            var stopwatch = Stopwatch.StartNew();
            var probabilities = foldDirectory is null ? null : TryReuse(foldDirectory, key, testIds.Count);
            var reused = probabilities is not null;
            IReadOnlyList<EpochSummary>? history = null;
            if (probabilities is null)
            {
                LogTraining(_logger, fold, folds, trainIds.Count, string.Join(", ", testIds));
                var options = training with { CheckpointDirectory = foldDirectory is null ? null : Path.Combine(foldDirectory, "checkpoint") };
                if (foldDirectory is not null)
                {
                    PrepareFolder(foldDirectory, key);
                }

                var result = new Trainer(options, _loggers.CreateLogger<Trainer>()).Train([.. trainIds.Select(id => byId[id])], null, cancellationToken);
                using var model = result.Model;
                history = result.History;
                probabilities = [.. Evaluator.Predict(model, [.. testIds.Select(id => byId[id])])];
                if (foldDirectory is not null)
                {
                    Save(foldDirectory, key, testIds, probabilities);
                }
            }
            else
            {
                LogReused(_logger, fold, foldDirectory!);
            }

            outcomes.Add(new FoldOutcome(fold, trainIds, testIds, stopwatch.Elapsed.TotalSeconds, reused, history));
            for (var i = 0; i < testIds.Count; i++)
            {
                predictions.Add(new TilePrediction(testIds[i], probabilities[i], byId[testIds[i]].Mask, fold));
            }
        }

        return new CrossValidationResult(outcomes, predictions);
    }

    /// <summary>
    /// A hash of everything a fold's predictions depend on: the recipe (without the checkpoint folder), the split and
    /// the tiles' features and masks.
    /// </summary>
    internal static string SettingsKey(TrainingOptions training, IReadOnlyList<string> trainIds, IReadOnlyList<string> testIds, IReadOnlyDictionary<string, LabelledTile> tiles)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(training with { CheckpointDirectory = null })));
        foreach (var id in trainIds.Append("|").Concat(testIds))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(id + "\n"));
            if (tiles.TryGetValue(id, out var tile))
            {
                hash.AppendData(MemoryMarshal.AsBytes(tile.Features.AsSpan()));
                hash.AppendData(tile.Mask);
            }
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private float[][]? TryReuse(string foldDirectory, string key, int tileCount)
    {
        var statePath = Path.Combine(foldDirectory, FoldFile);
        var predictionPath = Path.Combine(foldDirectory, PredictionFile);
        if (!File.Exists(statePath))
        {
            return null;
        }

        var state = JsonSerializer.Deserialize<FoldState>(File.ReadAllText(statePath), Json);
        if (state is null || state.SettingsKey != key)
        {
            LogStale(_logger, foldDirectory);
            return null;
        }

        if (!File.Exists(predictionPath))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(predictionPath);
        if (bytes.Length != tileCount * ModelContract.PixelsPerTile * sizeof(float))
        {
            LogStale(_logger, foldDirectory);
            return null;
        }

        var result = new float[tileCount][];
        for (var i = 0; i < tileCount; i++)
        {
            result[i] = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(i * ModelContract.PixelsPerTile * sizeof(float), ModelContract.PixelsPerTile * sizeof(float))).ToArray();
        }

        return result;
    }

    /// <summary>Starts a fold folder for <paramref name="key"/>: a checkpoint or predictions from other settings are removed, never resumed.</summary>
    private void PrepareFolder(string foldDirectory, string key)
    {
        var statePath = Path.Combine(foldDirectory, FoldFile);
        var state = File.Exists(statePath) ? JsonSerializer.Deserialize<FoldState>(File.ReadAllText(statePath), Json) : null;
        if (state is not null && state.SettingsKey != key)
        {
            Directory.Delete(foldDirectory, recursive: true);
        }
        else if (state is null && Directory.Exists(Path.Combine(foldDirectory, "checkpoint")))
        {
            // A checkpoint without a fold.json cannot be attributed to these settings.
            LogStale(_logger, foldDirectory);
            Directory.Delete(Path.Combine(foldDirectory, "checkpoint"), recursive: true);
        }

        Directory.CreateDirectory(foldDirectory);
        File.Delete(Path.Combine(foldDirectory, PredictionFile));
        File.WriteAllText(statePath, JsonSerializer.Serialize(new FoldState(key, null), Json));
    }

    private static void Save(string foldDirectory, string key, IReadOnlyList<string> testIds, float[][] probabilities)
    {
        var bytes = new byte[probabilities.Length * ModelContract.PixelsPerTile * sizeof(float)];
        for (var i = 0; i < probabilities.Length; i++)
        {
            MemoryMarshal.AsBytes(probabilities[i].AsSpan()).CopyTo(bytes.AsSpan(i * ModelContract.PixelsPerTile * sizeof(float)));
        }

        var predictionPath = Path.Combine(foldDirectory, PredictionFile);
        File.WriteAllBytes(predictionPath + ".tmp", bytes);
        File.Move(predictionPath + ".tmp", predictionPath, overwrite: true);
        File.WriteAllText(Path.Combine(foldDirectory, FoldFile), JsonSerializer.Serialize(new FoldState(key, testIds), Json));
    }

    private sealed record FoldState(string SettingsKey, IReadOnlyList<string>? TestIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fold {Fold}/{Folds}: training on {TrainCount} tiles, predicting {TestIds}")]
    private static partial void LogTraining(ILogger logger, int fold, int folds, int trainCount, string testIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fold {Fold}: reusing the predictions in {Folder} (same settings and data)")]
    private static partial void LogReused(ILogger logger, int fold, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Folder} holds a fold from other settings or data: not reused, training afresh")]
    private static partial void LogStale(ILogger logger, string folder);
}
