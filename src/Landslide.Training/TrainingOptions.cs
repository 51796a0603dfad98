using System.ComponentModel.DataAnnotations;
using Landslide.Training.Modeling;

namespace Landslide.Training;

/// <summary>The training recipe of docs/MODEL.md; every value overridable.</summary>
public sealed record TrainingOptions
{
    public RauNetOptions Model { get; init; } = new();

    [Range(1, 10_000)]
    public int Epochs { get; init; } = 65;

    [Range(1, 4096)]
    public int BatchSize { get; init; } = 12;

    /// <summary>Augmentation is off for this many final epochs.</summary>
    [Range(0, 10_000)]
    public int PlainFinalEpochs { get; init; } = 5;

    public bool Augment { get; init; } = true;

    /// <summary>Seeds initialisation, shuffling and augmentation.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Multiplies the step schedule (1 = docs/MODEL.md). Short CPU runs may raise it; the manifest records it.</summary>
    [Range(1e-6, 1e6)]
    public double LearningRateScale { get; init; } = 1.0;

    public TrainingDevice Device { get; init; } = TrainingDevice.Auto;

    /// <summary>
    /// libtorch CPU intra-op threads. Default 1: with more, libtorch 2.10 gave intermittent NaNs on the 2-core
    /// build machines (see RauNet). Raise it only where a multi-thread run has been checked.
    /// </summary>
    [Range(1, 1024)]
    public int CpuThreads { get; init; } = 1;

    /// <summary>Folder for the per-epoch checkpoint; training resumes from it when it holds one.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>
    /// Fingerprint of these settings + the data (see <see cref="RunFingerprint"/>): written into each checkpoint; a
    /// checkpoint with another fingerprint is not resumed (the run starts fresh and says so). Null resumes any.
    /// </summary>
    public string? CheckpointFingerprint { get; init; }

    /// <summary>A checkpoint folder whose weights (and model shape) start a fresh run: fine-tuning from a parent model.</summary>
    public string? InitialCheckpoint { get; init; }

    /// <summary>Caps optimizer steps per epoch (quick runs and tests); null = the whole training set.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxStepsPerEpoch { get; init; }

    /// <summary>Decision threshold on the landslide probability used for metrics and recorded with the model.</summary>
    [Range(0.0, 1.0)]
    public double Threshold { get; init; } = 0.5;
}
