using System.CommandLine;
using System.Globalization;
using Landslide.CommandLine;
using Landslide.Pipeline.Retrain;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Cli.Commands;

/// <summary>
/// <c>landslide serve retrain [--storage CONN] [--force] [--width F] [--epochs N] ...</c>: the retrain check on demand.
/// Skips when training/ has the fingerprint the current model was trained on (unless --force); otherwise runs
/// <c>landslide-train train --storage CONN ...</c> (<see cref="TrainingProgram"/>) with these options and waits for it:
/// it retrains from the blobs, publishes, gates and queues the model event for the running `serve`. TorchSharp runs
/// only in that process.
/// </summary>
internal static class ServeRetrainCommand
{
    public static Command Create()
    {
        var storage = new Option<string>("--storage")
        {
            Description = "Storage connection string (default: the local Azurite emulator).",
            DefaultValueFactory = _ => "UseDevelopmentStorage=true",
        };
        var force = new Option<bool>("--force") { Description = "Retrain even when the training data has not changed." };
        var width = new Option<int>("--width") { Description = "Network width F when training from scratch (8-32 on CPU, 128 on a GPU).", DefaultValueFactory = _ => 16 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 12 };
        var learningRateScale = new Option<double>("--lr-scale") { Description = "Multiplier on the docs/MODEL.md learning-rate schedule.", DefaultValueFactory = _ => 10 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        var fromScratch = new Option<bool>("--from-scratch") { Description = "Train from scratch instead of fine-tuning the promoted model's checkpoint." };
        var heldOutShare = new Option<double>("--held-out-share")
        {
            Description = "Share of labelled pairs held out for evaluation (chosen by a hash of the pair name; never trained on).",
            DefaultValueFactory = _ => 0.2,
        };
        var tolerance = new Option<double>("--tolerance")
        {
            Description = "Allowed drop of the evaluation landslide F1 against the current model before the gate rejects.",
            DefaultValueFactory = _ => 0.01,
        };
        var thresholdFolds = new Option<int>("--threshold-folds")
        {
            Description = "0 keeps the parent's threshold; K >= 2 chooses it on K-fold out-of-fold predictions of the training data (K extra trainings).",
            DefaultValueFactory = _ => 0,
        };
        var trainCommand = new Option<string?>("--train-command")
        {
            Description = "The training program (default: LANDSLIDE_Training__Command, else landslide-train beside landslide or in the build output).",
        };
        var command = new Command("retrain", "Retrain now from training/ when its data changed since the current model (the schedule's check, on demand), with landslide-train.")
        {
            storage, force, width, epochs, batch, learningRateScale, device, fromScratch, heldOutShare, tolerance, thresholdFolds, trainCommand,
        };

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var connection = parse.GetRequiredValue(storage);
                var program = TrainingProgram.Find(parse.GetValue(trainCommand) ?? Environment.GetEnvironmentVariable("LANDSLIDE_Training__Command"));
                var inv = CultureInfo.InvariantCulture;
                List<string> arguments =
                [
                    "train", "--storage", "env",
                    "--width", parse.GetValue(width).ToString(inv),
                    "--epochs", parse.GetValue(epochs).ToString(inv),
                    "--batch", parse.GetValue(batch).ToString(inv),
                    "--lr-scale", parse.GetValue(learningRateScale).ToString(inv),
                    "--seed", "42",
                    "--bn-momentum", "0.1", // settles in the few steps of a CPU retrain
                    "--device", parse.GetRequiredValue(device),
                    "--held-out-share", parse.GetValue(heldOutShare).ToString(inv),
                    "--tolerance", parse.GetValue(tolerance).ToString(inv),
                    "--threshold-folds", parse.GetValue(thresholdFolds).ToString(inv),
                ];
                if (parse.GetValue(fromScratch))
                {
                    arguments.Add("--from-scratch");
                }

                arguments.AddRange(CommonOptions.LogLevel(parse) switch
                {
                    LogLevel.Warning => ["--quiet"],
                    LogLevel.Debug => ["--verbose"],
                    _ => [],
                });
                var retrain = Options.Create(new RetrainOptions { Command = program.Command, Arguments = program.Arguments(arguments), StorageConnectionString = connection });
                var pipeline = PipelineStorage.FromConnectionString(connection);
                await pipeline.EnsureCreatedAsync(ct).ConfigureAwait(false);
                using var loggers = CliLogging.Create(parse);
                var handler = new RetrainHandler(pipeline, new WaitingStarter(new ProcessTrainingJobStarter(retrain)), retrain, loggers.CreateLogger<RetrainHandler>());
                var outcome = await handler.HandleAsync(parse.GetValue(force), ct).ConfigureAwait(false);
                if (!outcome.Started)
                {
                    Console.WriteLine($"not retrained: {outcome.Reason}");
                }
            },
            cancellationToken));
        return command;
    }

    /// <summary>On demand the check waits for the training program (its output is ours); a failed run fails the command.</summary>
    private sealed class WaitingStarter(ProcessTrainingJobStarter process) : ITrainingJobStarter
    {
        public async Task<string> StartAsync(RetrainRequest request, CancellationToken cancellationToken)
        {
            var exitCode = await process.RunAsync(request, cancellationToken).ConfigureAwait(false);
            return exitCode == 0
                ? "landslide-train (exit 0)"
                : throw new TrainingJobFailedException($"the training program exited with code {exitCode} (its messages are above); the retrain state is unchanged, run again to retry");
        }
    }
}
