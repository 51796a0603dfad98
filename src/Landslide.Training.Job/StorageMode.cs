using System.Globalization;
using Azure.Identity;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Storage;
using Landslide.Training;
using Landslide.Training.Modeling;
using Landslide.Training.Retraining;
using Microsoft.Extensions.Logging;

namespace Landslide.Training.Job;

/// <summary>
/// `landslide-train --storage managedidentity|CONNECTION`: the Container Apps job. Reads training/ and writes models/
/// of the data account (Storage__blobServiceUri, Storage__queueServiceUri, Storage__clientId with managed identity),
/// retrains with the Training__* settings and queues the model event for the AlertDispatcher function.
/// </summary>
internal static class StorageMode
{
    public static async Task<int> RunAsync(string storage, Func<string, string?> option, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var pipeline = storage == "managedidentity"
            ? PipelineStorage.FromServiceUris(
                new Uri(Setting("Storage__blobServiceUri") ?? throw new InvalidOperationException("Storage__blobServiceUri is not set")),
                new Uri(Setting("Storage__queueServiceUri") ?? throw new InvalidOperationException("Storage__queueServiceUri is not set")),
                new Uri((Setting("Storage__blobServiceUri") ?? string.Empty).Replace(".blob.", ".table.", StringComparison.Ordinal)),
                new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(Setting("Storage__clientId") ?? throw new InvalidOperationException("Storage__clientId is not set"))))
            : PipelineStorage.FromConnectionString(storage);
        var defaults = new TrainingOptions();
        var width = Int(option("width") ?? Setting("Training__Width")) ?? 128;
        var epochs = Int(option("epochs") ?? Setting("Training__Epochs")) ?? defaults.Epochs;
        var options = new RetrainJobOptions
        {
            Training = defaults with
            {
                Model = defaults.Model with { Width = width },
                Epochs = epochs,
                BatchSize = Int(option("batch") ?? Setting("Training__BatchSize")) ?? defaults.BatchSize,
                Device = option("device") switch
                {
                    "cpu" => TrainingDevice.Cpu,
                    "cuda" => TrainingDevice.Cuda,
                    _ => TrainingDevice.Auto,
                },
            },
            FromScratch = bool.TryParse(option("from-scratch") ?? Setting("Training__FromScratch"), out var scratch) && scratch,
            HeldOutShare = Double(option("held-out-share") ?? Setting("Training__HeldOutShare")) ?? 0.2,
            ThresholdFolds = Int(option("threshold-folds") ?? Setting("Training__ThresholdFolds")) ?? 5,
            PromotionTolerance = Double(option("tolerance") ?? Setting("Training__PromotionTolerance")) ?? 0.01,
            Command = "landslide-train --storage " + (storage == "managedidentity" ? storage : "(connection string)"),
        };
        var job = new BlobRetrainJob(
            pipeline.Container(StorageNames.TrainingContainer), pipeline.Container(StorageNames.ModelsContainer), new FixedThresholdSelector(), loggers);
        var result = await job.RunAsync(options, cancellationToken).ConfigureAwait(false);
        await ModelEventPublisher.EnqueueAsync(pipeline, result.Manifest.Version, result.Promoted ? ModelEvents.Promoted : ModelEvents.Rejected, cancellationToken)
            .ConfigureAwait(false);
        Console.WriteLine($"model {result.Manifest.Version}: {(result.Promoted ? "promoted" : "rejected")} ({result.Manifest.Promotion?.Reason})");
        return 0;
    }

    // The host reads its environment (Container Apps settings); the libraries get options.
    private static string? Setting(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static int? Int(string? value) => value is null ? null : int.Parse(value, CultureInfo.InvariantCulture);

    private static double? Double(string? value) => value is null ? null : double.Parse(value, CultureInfo.InvariantCulture);
}
