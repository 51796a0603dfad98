using System.CommandLine;
using Landslide.CommandLine;
using Landslide.Training.Modeling;

namespace Landslide.Training.Job.Commands;

/// <summary>
/// <c>landslide-train train --data DIR [--fold K | --folds K] [--width F] [--epochs N] [--batch N] [--device ...] -o DIR</c>:
/// the training job (train, evaluate on the frozen holdout, export ONNX, write the manifest); and
/// <c>landslide-train train --storage managedidentity|env|CONN</c>: the retrain job on training/ of a storage account.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Landslide4Sense folder with img/ and mask/ (or --storage)." };
        var storage = new Option<string?>("--storage")
        {
            Description = "Retrain from training/ of this storage account and publish to its models/: a connection string, env (the connection string in Storage__ConnectionString: off the command line, as `landslide serve` starts it), or managedidentity (Storage__* settings; the Azure job).",
        };
        var retrain = new RetrainOptionsBinder();
        var output = CommonOptions.OptionalOutDirectory("Model folder to write (model.onnx + manifest.json); with --folds, one sub-folder per fold.");
        var registry = new Option<DirectoryInfo?>("--registry") { Description = "A models/ root: publish there and move current.json only if the promotion gate passes." };
        var fold = new Option<int?>("--fold") { Description = "Train fold K (1-5) of the 5-fold split and score its test part every epoch." };
        var folds = new Option<int?>("--folds") { Description = "Run folds 1..N one after the other (cross-validation)." };
        var trainIds = new Option<int[]>("--train-ids")
        {
            Description = "Train on these patch ids only (default: every patch of --data outside the holdout); comma or space separated.",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = IdList,
        };
        var holdoutIds = new Option<int[]>("--holdout-ids") { Description = "The holdout patch ids (default: the frozen holdout 2, 40, 150, 525, 700, 902).", AllowMultipleArgumentsPerToken = true, CustomParser = IdList };
        var width = new Option<int>("--width") { Description = "Network width F (128 in the paper; 8-32 for CPU; or Training__Width with --storage).", DefaultValueFactory = _ => 128 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (or Training__Epochs with --storage).", DefaultValueFactory = _ => 65 };
        var batch = new Option<int>("--batch") { Description = "Batch size (or Training__BatchSize with --storage).", DefaultValueFactory = _ => 12 };
        var device = new Option<TrainingDevice>("--device") { Description = "auto (CUDA when present), cpu or cuda.", DefaultValueFactory = _ => TrainingDevice.Auto };
        var threads = new Option<int>("--threads") { Description = "CPU threads of TorchSharp.", DefaultValueFactory = _ => 1 };
        var learningRateScale = new Option<double>("--lr-scale") { Description = "Multiplier on the docs/MODEL.md learning-rate schedule (for short CPU runs).", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation, shuffling and augmentation.", DefaultValueFactory = _ => 42 };
        var bnMomentum = new Option<double>("--bn-momentum") { Description = "BatchNorm running-statistics rate (PyTorch convention; Keras' 0.99 is 0.01). 0.1 settles in the few steps of a CPU run.", DefaultValueFactory = _ => 0.01 };
        var attention = new Option<AttentionKind>("--attention") { Description = "Attention block: SqueezeExcitation (the paper's) or MultiHead.", DefaultValueFactory = _ => AttentionKind.SqueezeExcitation };
        var threshold = new Option<double>("--threshold") { Description = "Decision threshold recorded with the model and used for its holdout metrics (choose it with --folds, never on the holdout).", DefaultValueFactory = _ => 0.5 };
        var minArea = new Option<double?>("--min-area-m2") { Description = "Minimum polygon area recorded in the manifest as the mappers' default filter (choose it with --folds)." };
        var minMean = new Option<double?>("--min-mean-probability") { Description = "Minimum mean polygon probability recorded in the manifest as the mappers' default filter (choose it with --folds)." };
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "Checkpoint folder: written every epoch, and a run resumes from it." };
        var version = new Option<string?>("--version") { Description = "Model version (default rau{F}-{timestamp}); `landslide-train --version` alone prints the program's version." };
        var notes = new Option<string?>("--notes") { Description = "Caveats recorded in the manifest." };
        var command = new Command("train", "Train the RAU-Net (docs/MODEL.md recipe), evaluate it on the holdout, export ONNX and write the manifest; or retrain from a storage account (--storage).")
        {
            data, output, registry, fold, folds, trainIds, holdoutIds, width, epochs, batch, device, threads, learningRateScale, bnMomentum, attention, seed, threshold,
            minArea, minMean, checkpoint, version, notes, storage,
        };
        foreach (var option in retrain.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                if (parse.GetValue(storage) is { } connection)
                {
                    var recipe = RetrainOptionsBinder.Recipe(
                        RetrainOptionsBinder.Value(parse, width, "Training__Width", RetrainOptionsBinder.Integer),
                        RetrainOptionsBinder.Value(parse, epochs, "Training__Epochs", RetrainOptionsBinder.Integer),
                        RetrainOptionsBinder.Value(parse, batch, "Training__BatchSize", RetrainOptionsBinder.Integer),
                        parse.GetValue(learningRateScale),
                        parse.GetValue(seed),
                        parse.GetValue(bnMomentum),
                        parse.GetValue(device));
                    OptionsCheck.Validate(recipe);
                    var options = retrain.Bind(parse, recipe, parse.GetValue(version), connection);
                    await StorageRetrain.RunAsync(connection, options, CommonOptions.LogLevel(parse), ct).ConfigureAwait(false);
                    return;
                }

                var dataDir = parse.GetValue(data) ?? throw new UsageException("give --data DIR (a Landslide4Sense folder) or --storage CONN");
                var outDir = parse.GetValue(output)?.FullName;
                var registryDir = parse.GetValue(registry)?.FullName;
                if (outDir is null && registryDir is null)
                {
                    throw new UsageException("give -o/--out DIR or --registry DIR");
                }

                var training = new TrainingOptions
                {
                    Model = new RauNetOptions { Width = parse.GetValue(width), BatchNormMomentum = parse.GetValue(bnMomentum), Attention = parse.GetValue(attention) },
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batch),
                    Device = parse.GetValue(device),
                    CpuThreads = parse.GetValue(threads),
                    Seed = parse.GetValue(seed),
                    LearningRateScale = parse.GetValue(learningRateScale),
                    CheckpointDirectory = parse.GetValue(checkpoint)?.FullName,
                    Threshold = parse.GetValue(threshold),
                };
                OptionsCheck.Validate(training);
                if (parse.GetValue(folds) is { } foldCount)
                {
                    if (registryDir is not null || parse.GetValue(fold) is not null)
                    {
                        throw new UsageException("--folds runs cross-validation only: give -o/--out DIR, not --registry or --fold");
                    }

                    await CrossValidationRun.RunAsync(dataDir.FullName, training, foldCount, outDir, CommonOptions.LogLevel(parse), ct).ConfigureAwait(false);
                    return;
                }

                using var loggers = CliLogging.Create(parse);
                var defaults = new TrainingJobOptions { DataDirectory = dataDir.FullName };
                var job = new TrainingJobOptions
                {
                    DataDirectory = dataDir.FullName,
                    Fold = parse.GetValue(fold),
                    TrainIds = parse.GetValue(trainIds) is { Length: > 0 } ids ? ids : null,
                    HoldoutIds = parse.GetValue(holdoutIds) is { Length: > 0 } holdout ? holdout : defaults.HoldoutIds,
                    Training = training,
                    OutputDirectory = outDir,
                    RegistryRoot = registryDir,
                    Version = parse.GetValue(version),
                    Command = "landslide-train " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                    Notes = parse.GetValue(notes),
                    MinAreaM2 = parse.GetValue(minArea),
                    MinMeanProbability = parse.GetValue(minMean),
                };
                OptionsCheck.Validate(job);
                var result = await new TrainingJob(loggers).RunAsync(job, ct).ConfigureAwait(false);
                MetricsTable.Write(result.Holdout);
                Landslide.Plots.TrainingPlots.Write(result.ModelDirectory, result.History);
                Console.WriteLine($"model {result.Manifest.Version} -> {result.ModelDirectory}");
            },
            cancellationToken));
        return command;
    }

    /// <summary>Patch ids as "1,3,16" (the form docs/BENCHMARKS.md uses) or "1 3 16"; a bad id is a parse error (exit 2).</summary>
    private static int[] IdList(System.CommandLine.Parsing.ArgumentResult result)
    {
        var ids = new List<int>();
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                {
                    result.AddError($"'{part}' is not a patch id (a whole number) of {(result.Parent as System.CommandLine.Parsing.OptionResult)?.Option.Name ?? "the id list"}");
                    return [];
                }

                ids.Add(id);
            }
        }

        return [.. ids];
    }
}
