namespace Landslide.Training.CrossValidation;

/// <summary>The folds of a cross-validation and the pooled out-of-fold predictions (every tile exactly once).</summary>
public sealed record CrossValidationResult(IReadOnlyList<FoldOutcome> Folds, IReadOnlyList<TilePrediction> Predictions);
