namespace Landslide.Training.Evaluation;

/// <summary>Pools confusion counts over tiles at the sweep thresholds 0.50, 0.55, .. 0.95 and the model threshold.</summary>
public sealed class MetricsAccumulator
{
    private readonly double[] _thresholds;
    private readonly ConfusionCounts[] _counts;

    public MetricsAccumulator(double threshold)
    {
        Threshold = threshold;
        _thresholds = [threshold, .. SweepThresholds];
        _counts = new ConfusionCounts[_thresholds.Length];
    }

    public static IReadOnlyList<double> SweepThresholds { get; } = [.. Enumerable.Range(0, 10).Select(i => Math.Round(0.5 + (0.05 * i), 2))];

    public double Threshold { get; }

    public void Add(ReadOnlySpan<float> probability, ReadOnlySpan<byte> mask)
    {
        for (var i = 0; i < _thresholds.Length; i++)
        {
            _counts[i] += ConfusionCounts.Count(probability, mask, _thresholds[i]);
        }
    }

    public SegmentationMetrics AtThreshold => SegmentationMetrics.From(_counts[0], Threshold);

    public IReadOnlyList<SegmentationMetrics> Sweep => [.. _thresholds.Skip(1).Select((t, i) => SegmentationMetrics.From(_counts[i + 1], t))];
}
