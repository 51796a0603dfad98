using Landslide.Core.Segmentation;
using Landslide.Training.Evaluation;

namespace Landslide.Training.Retraining;

/// <summary>
/// What a retrain did: the published manifest (gate decision inside), whether current.json moved, both models' scores
/// on the same evaluation set, the fingerprints, and how the checkpoint was used.
/// </summary>
public sealed record RetrainResult(
    ModelManifest Manifest,
    bool Promoted,
    EvaluationReport? Candidate,
    EvaluationReport? Current,
    string DataFingerprint,
    string RunFingerprint,
    int ResumedAfterEpoch,
    bool CheckpointDiscarded,
    bool AlreadyPublished,
    IReadOnlyDictionary<string, string> SkippedPairs);
