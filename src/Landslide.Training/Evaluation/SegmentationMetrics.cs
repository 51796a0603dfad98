namespace Landslide.Training.Evaluation;

/// <summary>
/// Metrics from pooled counts. Landslide* is the Landslide4Sense leaderboard metric; Mean* averages background and
/// landslide (the paper's 84.07 F1 / 76.07 mIoU), not comparable with the leaderboard. A ratio with a zero
/// denominator is 0.
/// </summary>
public sealed record SegmentationMetrics(
    double Threshold,
    ConfusionCounts Counts,
    double LandslidePrecision,
    double LandslideRecall,
    double LandslideF1,
    double LandslideIoU,
    double BackgroundF1,
    double BackgroundIoU,
    double MeanF1,
    double MeanIoU)
{
    public static SegmentationMetrics From(ConfusionCounts counts, double threshold)
    {
        var (tp, fp, tn, fn) = ((double)counts.TruePositive, (double)counts.FalsePositive, (double)counts.TrueNegative, (double)counts.FalseNegative);
        var precision = Ratio(tp, tp + fp);
        var recall = Ratio(tp, tp + fn);
        var f1 = Ratio(2 * tp, (2 * tp) + fp + fn);
        var iou = Ratio(tp, tp + fp + fn);

        // Background is the positive class with the roles of the errors swapped.
        var backgroundF1 = Ratio(2 * tn, (2 * tn) + fn + fp);
        var backgroundIoU = Ratio(tn, tn + fn + fp);
        return new SegmentationMetrics(threshold, counts, precision, recall, f1, iou, backgroundF1, backgroundIoU, (f1 + backgroundF1) / 2, (iou + backgroundIoU) / 2);
    }

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;
}
