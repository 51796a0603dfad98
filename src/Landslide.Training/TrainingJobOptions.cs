using System.ComponentModel.DataAnnotations;

namespace Landslide.Training;

/// <summary>One run of the training job: data, recipe, where the model goes.</summary>
public sealed record TrainingJobOptions
{
    /// <summary>A Landslide4Sense folder with img/ and mask/.</summary>
    [Required]
    public required string DataDirectory { get; init; }

    /// <summary>Tile ids to train on; null = every tile in the folder not in <see cref="HoldoutIds"/>.</summary>
    public IReadOnlyList<int>? TrainIds { get; init; }

    /// <summary>The frozen holdout: never trained on; the model's metrics are measured on it.</summary>
    public IReadOnlyList<int> HoldoutIds { get; init; } = [2, 40, 150, 525, 700, 902];

    /// <summary>1..5: train on the fold's training part and score its test part every epoch; null = all training ids.</summary>
    [Range(1, 5)]
    public int? Fold { get; init; }

    public TrainingOptions Training { get; init; } = new();

    /// <summary>The model folder to write (model.onnx + manifest.json), used when <see cref="RegistryRoot"/> is null.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>A models/ root: the model goes to {root}/{version}/ and current.json moves only if the gate passes.</summary>
    public string? RegistryRoot { get; init; }

    /// <summary>Model version; default "rau{F}-{utc timestamp}".</summary>
    public string? Version { get; init; }

    /// <summary>Allowed drop of holdout landslide F1 against the current model.</summary>
    [Range(0.0, 1.0)]
    public double PromotionTolerance { get; init; } = 0.01;

    /// <summary>Minimum polygon area (m2) recorded in the manifest as the mappers' default filter; null = none.</summary>
    [Range(0.0, double.MaxValue)]
    public double? MinAreaM2 { get; init; }

    /// <summary>Minimum mean polygon probability recorded in the manifest as the mappers' default filter; null = none.</summary>
    [Range(0.0, 1.0)]
    public double? MinMeanProbability { get; init; }

    /// <summary>The command line that reproduces the run, recorded in the manifest.</summary>
    public string? Command { get; init; }

    /// <summary>Caveats recorded in the manifest (e.g. a cut recipe).</summary>
    public string? Notes { get; init; }
}
