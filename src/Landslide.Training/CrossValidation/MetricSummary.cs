using Landslide.Training.Evaluation;

namespace Landslide.Training.CrossValidation;

/// <summary>The six reported figures: landslide P/R/F1/IoU and the two-class mean F1 / mIoU.</summary>
public sealed record MetricSummary(double Precision, double Recall, double F1, double IoU, double MeanF1, double MeanIoU)
{
    public static MetricSummary Of(SegmentationMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.LandslidePrecision, m.LandslideRecall, m.LandslideF1, m.LandslideIoU, m.MeanF1, m.MeanIoU);
    }

    public static MetricSummary Mean(IReadOnlyList<MetricSummary> rows) => Combine(rows, values => values.Average());

    /// <summary>Sample standard deviation (n - 1); 0 for fewer than two rows.</summary>
    public static MetricSummary StandardDeviation(IReadOnlyList<MetricSummary> rows) => Combine(rows, values =>
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    });

    private static MetricSummary Combine(IReadOnlyList<MetricSummary> rows, Func<IReadOnlyList<double>, double> f)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return new(0, 0, 0, 0, 0, 0);
        }

        return new(
            f([.. rows.Select(r => r.Precision)]), f([.. rows.Select(r => r.Recall)]), f([.. rows.Select(r => r.F1)]),
            f([.. rows.Select(r => r.IoU)]), f([.. rows.Select(r => r.MeanF1)]), f([.. rows.Select(r => r.MeanIoU)]));
    }
}
