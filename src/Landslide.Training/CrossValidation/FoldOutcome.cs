namespace Landslide.Training.CrossValidation;

/// <summary>
/// One fold of a cross-validation: what it trained and tested on, whether its predictions were reused, and the
/// fold model's training history (null for a fold reused from a previous run: its model was not trained here).
/// </summary>
public sealed record FoldOutcome(int Fold, IReadOnlyList<string> TrainIds, IReadOnlyList<string> TestIds, double Seconds, bool Reused, IReadOnlyList<EpochSummary>? History = null);
