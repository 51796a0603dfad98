using System.ComponentModel.DataAnnotations;

namespace Landslide.Training.Retraining;

/// <summary>The retrain job against blob storage (settings Training__*: width, epochs, from scratch, held-out share...).</summary>
public sealed record RetrainJobOptions
{
    /// <summary>The recipe; width and epochs are the usual settings. Its checkpoint folder is set by the job.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Train from scratch instead of fine-tuning the promoted model's checkpoint (the default).</summary>
    public bool FromScratch { get; init; }

    /// <summary>Share of labelled pairs held out for evaluation, chosen by a hash of the pair name. Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double HeldOutShare { get; init; } = 0.2;

    /// <summary>
    /// 0 keeps the parent's (or the recipe's) threshold; K >= 2 chooses the candidate's threshold on K-fold
    /// out-of-fold predictions of the training tiles (K extra trainings; never on the evaluation set).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 20)]
    public int ThresholdFolds { get; init; }

    /// <summary>Landslide4Sense patch ids in training/ that are evaluation-only (the frozen holdout).</summary>
    public IReadOnlyList<int> HoldoutIds { get; init; } = [2, 40, 150, 525, 700, 902];

    /// <summary>Allowed drop of the evaluation landslide F1 against the current model.</summary>
    [Range(0.0, 1.0)]
    public double PromotionTolerance { get; init; } = 0.01;

    /// <summary>Model version; default rau{F}-{first 12 hex of the run fingerprint}, so a rerun of the same run publishes once.</summary>
    public string? Version { get; init; }

    /// <summary>Local scratch folder (checkpoint copies, downloaded patches); default a temp folder.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The command line recorded in the manifest.</summary>
    public string? Command { get; init; }
}
