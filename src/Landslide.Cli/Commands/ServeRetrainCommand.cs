using System.CommandLine;
using Landslide.Pipeline.Retrain;
using Landslide.Pipeline.Storage;
using Landslide.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Cli.Commands;

/// <summary>
/// <c>landslide serve retrain [--storage CONN] [--force] [--width F] [--epochs N] ...</c>: the retrain check on demand.
/// Skips when training/ has the fingerprint the current model was trained on (unless --force); otherwise retrains in
/// this process from the blobs, publishes, gates and queues the model event for the running `serve`.
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
        var device = new Option<TrainingDevice>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => TrainingDevice.Auto };
        var binder = new RetrainOptionsBinder();
        var command = new Command("retrain", "Retrain now from training/ when its data changed since the current model (the schedule's check, on demand).")
        {
            storage, force, width, epochs, batch, learningRateScale, device,
        };
        foreach (var option in binder.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var connection = parse.GetRequiredValue(storage);
                var pipeline = PipelineStorage.FromConnectionString(connection);
                await pipeline.EnsureCreatedAsync(ct).ConfigureAwait(false);
                var recipe = RetrainOptionsBinder.Recipe(
                    parse.GetValue(width), parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(learningRateScale), 42, parse.GetValue(device));
                var starter = new InProcessStarter(connection, binder.Bind(parse, recipe, version: null));
                using var loggers = CliLogging.Create();
                var handler = new RetrainHandler(pipeline, starter, Options.Create(new RetrainOptions()), loggers.CreateLogger<RetrainHandler>());
                var outcome = await handler.HandleAsync(parse.GetValue(force), ct).ConfigureAwait(false);
                if (!outcome.Started)
                {
                    Console.WriteLine($"not retrained: {outcome.Reason}");
                }
            },
            cancellationToken));
        return command;
    }

    /// <summary>Runs the job here and now; the "job id" is the model version it published.</summary>
    private sealed class InProcessStarter(string connection, Training.Retraining.RetrainJobOptions options) : ITrainingJobStarter
    {
        public async Task<string> StartAsync(RetrainRequest request, CancellationToken cancellationToken)
        {
            var result = await StorageRetrain.RunAsync(connection, options, cancellationToken).ConfigureAwait(false);
            return result.Manifest.Version;
        }
    }
}
