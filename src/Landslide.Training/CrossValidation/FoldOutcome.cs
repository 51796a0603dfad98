namespace Landslide.Training.CrossValidation;

/// <summary>One fold of a cross-validation: what it trained and tested on, and whether its predictions were reused.</summary>
public sealed record FoldOutcome(int Fold, IReadOnlyList<string> TrainIds, IReadOnlyList<string> TestIds, double Seconds, bool Reused);
