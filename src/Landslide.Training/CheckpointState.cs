using Landslide.Training.Modeling;

namespace Landslide.Training;

/// <summary>
/// The JSON part of a checkpoint: how many epochs are done, the model shape, the history so far, and the fingerprint
/// of the settings + data it was trained with (a checkpoint is only resumed by a run with the same fingerprint).
/// </summary>
public sealed record CheckpointState(int CompletedEpochs, RauNetOptions Model, IReadOnlyList<EpochSummary> History, double Threshold, string? Fingerprint = null);
