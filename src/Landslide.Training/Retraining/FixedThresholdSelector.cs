using Landslide.Training.Data;

namespace Landslide.Training.Retraining;

/// <summary>Keeps the default threshold: the parent model's when fine-tuning, else the recipe's.</summary>
public sealed class FixedThresholdSelector : IThresholdSelector
{
    public double Select(IReadOnlyList<LabelledTile> trainingTiles, TrainingOptions options, double defaultThreshold, CancellationToken cancellationToken) => defaultThreshold;
}
