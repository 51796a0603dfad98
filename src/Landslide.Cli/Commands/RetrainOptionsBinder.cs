using System.CommandLine;
using Landslide.Training;
using Landslide.Training.Modeling;
using Landslide.Training.Retraining;

namespace Landslide.Cli.Commands;

/// <summary>The retrain settings shared by `landslide train --storage` and `landslide serve retrain`.</summary>
internal sealed class RetrainOptionsBinder
{
    public Option<bool> FromScratch { get; } = new("--from-scratch") { Description = "Train from scratch instead of fine-tuning the promoted model's checkpoint." };

    public Option<double> HeldOutShare { get; } = new("--held-out-share")
    {
        Description = "Share of labelled pairs held out for evaluation (chosen by a hash of the pair name; never trained on).",
        DefaultValueFactory = _ => 0.2,
    };

    public Option<double> Tolerance { get; } = new("--tolerance")
    {
        Description = "Allowed drop of the evaluation landslide F1 against the current model before the gate rejects.",
        DefaultValueFactory = _ => 0.01,
    };

    public Option<int> ThresholdFolds { get; } = new("--threshold-folds")
    {
        Description = "0 keeps the parent's threshold; K >= 2 chooses it on K-fold out-of-fold predictions of the training data (K extra trainings).",
        DefaultValueFactory = _ => 0,
    };

    public IEnumerable<Option> All => [FromScratch, HeldOutShare, Tolerance, ThresholdFolds];

    public RetrainJobOptions Bind(ParseResult parse, TrainingOptions training, string? version) => new()
    {
        Training = training,
        FromScratch = parse.GetValue(FromScratch),
        HeldOutShare = parse.GetValue(HeldOutShare),
        ThresholdFolds = parse.GetValue(ThresholdFolds),
        PromotionTolerance = parse.GetValue(Tolerance),
        Version = version,
        Command = "landslide " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Where(a => !a.Contains("AccountKey", StringComparison.OrdinalIgnoreCase))),
    };

    public static TrainingOptions Recipe(int width, int epochs, int batch, double learningRateScale, int seed, TrainingDevice device) => new()
    {
        Model = new RauNetOptions { Width = width, BatchNormMomentum = 0.1 },
        Epochs = epochs,
        BatchSize = batch,
        LearningRateScale = learningRateScale,
        Seed = seed,
        Device = device,
        PlainFinalEpochs = Math.Min(5, Math.Max(0, epochs - 1)),
    };
}
