using System.CommandLine;
using System.Globalization;
using Landslide.Training.Modeling;
using Landslide.Training.Retraining;

namespace Landslide.Training.Job.Commands;

/// <summary>
/// The retrain settings of `landslide-train train --storage` (which `landslide serve retrain` forwards). Each one comes
/// from the command line, else from its Training__* setting (the Container Apps job's environment), else its default.
/// </summary>
internal sealed class RetrainOptionsBinder
{
    public Option<bool> FromScratch { get; } = new("--from-scratch") { Description = "Train from scratch instead of fine-tuning the promoted model's checkpoint (or Training__FromScratch)." };

    public Option<double> HeldOutShare { get; } = new("--held-out-share")
    {
        Description = "Share of labelled pairs held out for evaluation (chosen by a hash of the pair name; never trained on; or Training__HeldOutShare).",
        DefaultValueFactory = _ => 0.2,
    };

    public Option<double> Tolerance { get; } = new("--tolerance")
    {
        Description = "Allowed drop of the evaluation landslide F1 against the current model before the gate rejects (or Training__PromotionTolerance).",
        DefaultValueFactory = _ => 0.01,
    };

    public Option<int> ThresholdFolds { get; } = new("--threshold-folds")
    {
        Description = "0 keeps the parent's threshold; K >= 2 chooses it on K-fold out-of-fold predictions of the training data (K extra trainings; or Training__ThresholdFolds).",
        DefaultValueFactory = _ => 0,
    };

    public IEnumerable<Option> All => [FromScratch, HeldOutShare, Tolerance, ThresholdFolds];

    public RetrainJobOptions Bind(ParseResult parse, TrainingOptions training, string? version, string storage) => new()
    {
        Training = training,
        FromScratch = Value(parse, FromScratch, "Training__FromScratch", bool.Parse),
        HeldOutShare = Value(parse, HeldOutShare, "Training__HeldOutShare", Number),
        ThresholdFolds = Value(parse, ThresholdFolds, "Training__ThresholdFolds", Integer),
        PromotionTolerance = Value(parse, Tolerance, "Training__PromotionTolerance", Number),
        Version = version,
        Command = "landslide-train " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(a => a == storage && storage is not (StorageRetrain.ManagedIdentity or StorageRetrain.FromEnvironment) ? "(connection string)" : a)),
    };

    /// <summary>The recipe of a retrain: the docs/MODEL.md schedule at this width, epochs and batch.</summary>
    public static TrainingOptions Recipe(int width, int epochs, int batch, double learningRateScale, int seed, double batchNormMomentum, TrainingDevice device) => new()
    {
        Model = new RauNetOptions { Width = width, BatchNormMomentum = batchNormMomentum },
        Epochs = epochs,
        BatchSize = batch,
        LearningRateScale = learningRateScale,
        Seed = seed,
        Device = device,
        PlainFinalEpochs = Math.Min(5, Math.Max(0, epochs - 1)),
    };

    /// <summary>The option's value when given on the command line, else the setting's when set, else the option's default.</summary>
    public static T Value<T>(ParseResult parse, Option<T> option, string setting, Func<string, T> convert)
    {
        if (parse.GetResult(option) is { Implicit: false } || StorageRetrain.Setting(setting) is not { } text)
        {
            return parse.GetValue(option)!;
        }

        try
        {
            return convert(text);
        }
        catch (FormatException e)
        {
            throw new Landslide.CommandLine.UsageException($"setting {setting} '{text}' is not a valid {typeof(T).Name}", e);
        }
    }

    public static int Integer(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    public static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
