using Landslide.Core.Segmentation;
using Landslide.Training.Evaluation;

namespace Landslide.Training;

/// <summary>What the job produced: the manifest written, the holdout report, the epoch history and the model folder.</summary>
public sealed record TrainingJobResult(ModelManifest Manifest, EvaluationReport Holdout, IReadOnlyList<EpochSummary> History, string ModelDirectory);
