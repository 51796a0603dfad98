using Landslide.Training.CrossValidation;
using Landslide.Training.Data;
using Microsoft.Extensions.Logging;

namespace Landslide.Training.Retraining;

/// <summary>
/// Chooses the threshold on out-of-fold predictions of the training tiles: K-fold cross-validation with the
/// candidate's recipe, then the threshold that maximises the pooled landslide F1 after the polygon filters
/// (<see cref="CrossValidationReport"/>). The evaluation set is never passed in, so it can never influence the choice.
/// Costs K extra trainings; with fewer tiles than folds it keeps the default.
/// </summary>
public sealed partial class OutOfFoldThresholdSelector : IThresholdSelector
{
    private readonly int _folds;
    private readonly ILoggerFactory? _loggers;
    private readonly ILogger _logger;

    public OutOfFoldThresholdSelector(int folds, ILoggerFactory? loggers = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        _folds = folds;
        _loggers = loggers;
        _logger = (ILogger?)loggers?.CreateLogger<OutOfFoldThresholdSelector>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>The last cross-validation report, for the record (null before the first choice or when it was skipped).</summary>
    public CrossValidationReport? LastReport { get; private set; }

    public double Select(IReadOnlyList<LabelledTile> trainingTiles, TrainingOptions options, double defaultThreshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trainingTiles);
        ArgumentNullException.ThrowIfNull(options);
        if (trainingTiles.Count < _folds)
        {
            LogTooFew(_logger, trainingTiles.Count, _folds, defaultThreshold);
            return defaultThreshold;
        }

        var result = new CrossValidator(_loggers).Run(trainingTiles, options with { CheckpointDirectory = null }, _folds, null, cancellationToken);
        LastReport = CrossValidationReport.Create(result, options);
        var chosen = LastReport.Chosen.Setting.Threshold;
        LogChosen(_logger, _folds, chosen, LastReport.Chosen.Setting.MinAreaM2, LastReport.Chosen.Setting.MinMeanProbability);
        return chosen;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Only {Tiles} training tiles for {Folds}-fold cross-validation: keeping threshold {Threshold}")]
    private static partial void LogTooFew(ILogger logger, int tiles, int folds, double threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Threshold chosen out of fold ({Folds} folds): {Threshold} (with min area {MinArea} m2, min mean probability {MinMean})")]
    private static partial void LogChosen(ILogger logger, int folds, double threshold, double minArea, double minMean);
}
