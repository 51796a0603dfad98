using Landslide.Training.Evaluation;

namespace Landslide.Training;

/// <summary>
/// What one epoch did: 0-based epoch, learning rate, mean (total) loss, steps, seconds, validation metrics if any, and
/// the mean loss of each head (null in histories written before heads were recorded).
/// </summary>
public sealed record EpochSummary(int Epoch, double LearningRate, double MeanLoss, int Steps, double Seconds, SegmentationMetrics? Validation, HeadLosses? Heads = null);
