using Landslide.Training.Evaluation;

namespace Landslide.Training.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void Metrics_FromHandMadeCounts_MatchTheDefinitions()
    {
        var m = SegmentationMetrics.From(new ConfusionCounts(TruePositive: 30, FalsePositive: 10, TrueNegative: 50, FalseNegative: 10), 0.5);

        Assert.Equal(0.75, m.LandslidePrecision, 12);
        Assert.Equal(0.75, m.LandslideRecall, 12);
        Assert.Equal(0.75, m.LandslideF1, 12);
        Assert.Equal(0.6, m.LandslideIoU, 12);
        Assert.Equal(100.0 / 120.0, m.BackgroundF1, 12);
        Assert.Equal(50.0 / 70.0, m.BackgroundIoU, 12);
        Assert.Equal((0.75 + (100.0 / 120.0)) / 2, m.MeanF1, 12);
        Assert.Equal((0.6 + (50.0 / 70.0)) / 2, m.MeanIoU, 12);
    }

    [Fact]
    public void Metrics_WithNoLandslideAnywhere_AreZeroNotNaN()
    {
        var m = SegmentationMetrics.From(new ConfusionCounts(0, 0, 100, 0), 0.5);

        Assert.Equal(0, m.LandslideF1);
        Assert.Equal(1, m.BackgroundF1);
    }

    [Fact]
    public void Counts_ArePooledOverTiles_SkipNoData_AndSweepThresholds()
    {
        var accumulator = new MetricsAccumulator(0.5);
        accumulator.Add([0.9f, 0.6f, 0.2f, 0.97f], [1, 0, 1, 255]);
        accumulator.Add([0.1f, 0.8f], [0, 1]);

        Assert.Equal(new ConfusionCounts(2, 1, 1, 1), accumulator.AtThreshold.Counts);
        Assert.Equal([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95], accumulator.Sweep.Select(s => s.Threshold));
        Assert.Equal(new ConfusionCounts(1, 0, 2, 2), accumulator.Sweep.Single(s => s.Threshold == 0.85).Counts);
    }
}
