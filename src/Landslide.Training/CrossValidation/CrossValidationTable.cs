using Landslide.Training.Evaluation;

namespace Landslide.Training.CrossValidation;

/// <summary>
/// The CV table for one detection setting: each fold's score on its own test block, mean and sample standard
/// deviation (n - 1) over folds of the landslide P/R/F1/IoU and two-class mean F1/mIoU, and the pooled
/// out-of-fold score.
/// </summary>
public sealed record CrossValidationTable(
    DetectionSetting Setting,
    IReadOnlyList<FoldScore> Folds,
    MetricSummary Mean,
    MetricSummary StandardDeviation,
    DetectionScore Pooled)
{
    public static CrossValidationTable From(IReadOnlyList<TilePrediction> predictions, DetectionSetting setting, double pixelAreaM2 = DetectionScorer.L4sPixelAreaM2)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(setting);
        var folds = predictions.GroupBy(p => p.Fold).OrderBy(g => g.Key)
            .Select(g => new FoldScore(g.Key, DetectionScorer.Score([.. g], setting, pixelAreaM2)))
            .ToList();
        var metrics = folds.Select(f => MetricSummary.Of(f.Score.Pixels)).ToList();
        return new CrossValidationTable(setting, folds, MetricSummary.Mean(metrics), MetricSummary.StandardDeviation(metrics), DetectionScorer.Score(predictions, setting, pixelAreaM2));
    }
}
