namespace Landslide.Training.CrossValidation;

/// <summary>The setting chosen on out-of-fold predictions, and every candidate with its score (for the record).</summary>
public sealed record DetectionSelection(DetectionScore Chosen, IReadOnlyList<DetectionScore> Candidates);
