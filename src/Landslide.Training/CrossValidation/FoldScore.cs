namespace Landslide.Training.CrossValidation;

/// <summary>One fold's score on its own test block.</summary>
public sealed record FoldScore(int Fold, DetectionScore Score);
