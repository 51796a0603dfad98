namespace Landslide.Training.Evaluation;

/// <summary>Metrics at the model's threshold plus the sweep 0.50..0.95, and what they were measured on.</summary>
public sealed record EvaluationReport(string Dataset, IReadOnlyList<string> TileIds, SegmentationMetrics AtThreshold, IReadOnlyList<SegmentationMetrics> Sweep);
