namespace Landslide.Training.CrossValidation;

/// <summary>The settings an out-of-fold selection tries: every threshold x minimum area x minimum mean probability.</summary>
public sealed record DetectionGrid
{
    /// <summary>0.05, 0.10, .. 0.95.</summary>
    public IReadOnlyList<double> Thresholds { get; init; } = [.. Enumerable.Range(1, 19).Select(i => Math.Round(0.05 * i, 2))];

    /// <summary>0 (no filter) to 2000 m2 (20 Landslide4Sense pixels).</summary>
    public IReadOnlyList<double> MinAreasM2 { get; init; } = [0, 100, 200, 300, 500, 1000, 2000];

    /// <summary>0 (no filter) and 0.5 .. 0.9; a value at or below the threshold changes nothing and is skipped.</summary>
    public IReadOnlyList<double> MinMeanProbabilities { get; init; } = [0, 0.5, 0.6, 0.7, 0.8, 0.9];

    /// <summary>Ground area of one pixel of the predictions.</summary>
    public double PixelAreaM2 { get; init; } = DetectionScorer.L4sPixelAreaM2;

    public static DetectionGrid Default { get; } = new();
}
