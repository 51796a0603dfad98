using Landslide.Training.Modeling;

namespace Landslide.Training;

/// <summary>The trained model (caller disposes) and the history of every epoch, resumed ones included.</summary>
public sealed record TrainingResult(RauNet Model, IReadOnlyList<EpochSummary> History);
