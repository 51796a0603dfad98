using Landslide.Training.Evaluation;

namespace Landslide.Training;

/// <summary>What one epoch did: 0-based epoch, learning rate, mean loss, steps, seconds, validation metrics if any.</summary>
public sealed record EpochSummary(int Epoch, double LearningRate, double MeanLoss, int Steps, double Seconds, SegmentationMetrics? Validation);
