using Landslide.Core.Segmentation;

namespace Landslide.Training.Registry;

/// <summary>
/// A candidate replaces the current model only if its holdout landslide F1 is not lower than the current one's
/// minus <c>tolerance</c>. No current model (or one without an F1) means the candidate is promoted.
/// </summary>
public static class PromotionGate
{
    public static ModelPromotion Decide(double candidateF1, ModelManifest? current, double tolerance, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        var currentF1 = current?.Metrics?.F1;
        if (current is null || currentF1 is null)
        {
            return new ModelPromotion
            {
                Promoted = true,
                CandidateF1 = candidateF1,
                CurrentVersion = current?.Version,
                CurrentF1 = currentF1,
                Tolerance = tolerance,
                Reason = current is null ? "no current model" : $"current model {current.Version} has no holdout F1",
                DecidedAt = now,
            };
        }

        var promoted = candidateF1 >= currentF1.Value - tolerance;
        return new ModelPromotion
        {
            Promoted = promoted,
            CandidateF1 = candidateF1,
            CurrentVersion = current.Version,
            CurrentF1 = currentF1,
            Tolerance = tolerance,
            Reason = promoted
                ? $"holdout F1 {candidateF1:F4} >= current {currentF1:F4} - {tolerance}"
                : $"holdout F1 {candidateF1:F4} < current {currentF1:F4} - {tolerance}: regression, current model kept",
            DecidedAt = now,
        };
    }
}
