using System.CommandLine;
using Landslide.Training;
using Landslide.Training.Modeling;

namespace Landslide.Cli.Commands;

/// <summary>
/// <c>landslide train --data DIR [--fold K | --folds K] [--width F] [--epochs N] [--batch N] [--device ...] --out DIR</c>:
/// the training job (train, evaluate on the frozen holdout, export ONNX, write the manifest).
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Landslide4Sense folder with img/ and mask/ (or --storage)." };
        var storage = new Option<string?>("--storage") { Description = "Train from training/ in this storage account (connection string) and publish to its models/ (see `serve retrain`)." };
        var retrain = new RetrainOptionsBinder();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Model folder to write (model.onnx + manifest.json); with --folds, one sub-folder per fold." };
        var registry = new Option<DirectoryInfo?>("--registry") { Description = "A models/ root: publish there and move current.json only if the promotion gate passes." };
        var fold = new Option<int?>("--fold") { Description = "Train fold K (1-5) of the 5-fold split and score its test part every epoch." };
        var folds = new Option<int?>("--folds") { Description = "Run folds 1..N one after the other (cross-validation)." };
        var width = new Option<int>("--width") { Description = "Network width F (128 in the paper; 8-32 for CPU).", DefaultValueFactory = _ => 128 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => 65 };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 12 };
        var device = new Option<TrainingDevice>("--device") { Description = "auto (CUDA when present), cpu or cuda.", DefaultValueFactory = _ => TrainingDevice.Auto };
        var learningRateScale = new Option<double>("--lr-scale") { Description = "Multiplier on the docs/MODEL.md learning-rate schedule (for short CPU runs).", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation, shuffling and augmentation.", DefaultValueFactory = _ => 42 };
        var bnMomentum = new Option<double>("--bn-momentum") { Description = "BatchNorm running-statistics rate (PyTorch convention; Keras' 0.99 is 0.01). 0.1 settles in the few steps of a CPU run.", DefaultValueFactory = _ => 0.01 };
        var threshold = new Option<double>("--threshold") { Description = "Decision threshold recorded with the model and used for its holdout metrics (choose it with --folds, never on the holdout).", DefaultValueFactory = _ => 0.5 };
        var minArea = new Option<double?>("--min-area-m2") { Description = "Minimum polygon area recorded in the manifest as the mappers' default filter (choose it with --folds)." };
        var minMean = new Option<double?>("--min-mean-probability") { Description = "Minimum mean polygon probability recorded in the manifest as the mappers' default filter (choose it with --folds)." };
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "Checkpoint folder: written every epoch, and a run resumes from it." };
        var version = new Option<string?>("--version") { Description = "Model version (default rau{F}-{timestamp})." };
        var notes = new Option<string?>("--notes") { Description = "Caveats recorded in the manifest." };
        var command = new Command("train", "Train the RAU-Net (docs/MODEL.md recipe), evaluate it on the holdout, export ONNX and write the manifest.")
        {
            data, output, registry, fold, folds, width, epochs, batch, device, learningRateScale, bnMomentum, seed, threshold, minArea, minMean, checkpoint, version, notes, storage,
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
                        parse.GetValue(width), parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(learningRateScale), parse.GetValue(seed), parse.GetValue(device));
                    await StorageRetrain.RunAsync(connection, retrain.Bind(parse, recipe, parse.GetValue(version)), ct).ConfigureAwait(false);
                    return;
                }

                var dataDir = parse.GetValue(data) ?? throw new ArgumentException("give --data DIR (a Landslide4Sense folder) or --storage CONN");
                var outDir = parse.GetValue(output)?.FullName;
                var registryDir = parse.GetValue(registry)?.FullName;
                if (outDir is null && registryDir is null)
                {
                    throw new ArgumentException("give --out DIR or --registry DIR");
                }

                var training = new TrainingOptions
                {
                    Model = new RauNetOptions { Width = parse.GetValue(width), BatchNormMomentum = parse.GetValue(bnMomentum) },
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batch),
                    Device = parse.GetValue(device),
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
                        throw new ArgumentException("--folds runs cross-validation only: give --out DIR, not --registry or --fold");
                    }

                    await CrossValidationRun.RunAsync(dataDir.FullName, training, foldCount, outDir, ct).ConfigureAwait(false);
                    return;
                }

                using var loggers = CliLogging.Create();
                var options = new TrainingJobOptions
                {
                    DataDirectory = dataDir.FullName,
                    Fold = parse.GetValue(fold),
                    Training = training,
                    OutputDirectory = outDir,
                    RegistryRoot = registryDir,
                    Version = parse.GetValue(version),
                    Command = "landslide " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                    Notes = parse.GetValue(notes),
                    MinAreaM2 = parse.GetValue(minArea),
                    MinMeanProbability = parse.GetValue(minMean),
                };
                OptionsCheck.Validate(options);
                var result = await new TrainingJob(loggers).RunAsync(options, ct).ConfigureAwait(false);
                MetricsTable.Write(result.Holdout);
                Landslide.Plots.TrainingPlots.Write(result.ModelDirectory, result.History);
                Console.WriteLine($"model {result.Manifest.Version} -> {result.ModelDirectory}");
            },
            cancellationToken));
        return command;
    }
}
