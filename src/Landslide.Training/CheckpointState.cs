using Landslide.Training.Modeling;

namespace Landslide.Training;

/// <summary>The JSON part of a checkpoint: how many epochs are done, the model shape and the history so far.</summary>
public sealed record CheckpointState(int CompletedEpochs, RauNetOptions Model, IReadOnlyList<EpochSummary> History, double Threshold);
