using Landslide.Training.Data;

namespace Landslide.Training.Retraining;

/// <summary>
/// Chooses the candidate's decision threshold from training data only (never from the evaluation set). The seam for
/// out-of-fold selection; <see cref="FixedThresholdSelector"/> keeps the recipe's (or the parent model's) threshold.
/// </summary>
public interface IThresholdSelector
{
    double Select(IReadOnlyList<LabelledTile> trainingTiles, TrainingOptions options, double defaultThreshold, CancellationToken cancellationToken);
}
