using System.Globalization;
using Azure.Storage.Blobs;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Storage;
using Landslide.Training.Retraining;

namespace Landslide.Cli.Commands;

/// <summary>
/// Runs the retrain job against a storage account in this process (`landslide train --storage`, `landslide serve
/// retrain`), then queues its model.promoted / model.rejected event for the alert dispatcher of the running pipeline.
/// </summary>
internal static class StorageRetrain
{
    public static async Task<RetrainResult> RunAsync(string connection, RetrainJobOptions options, CancellationToken cancellationToken)
    {
        var storage = PipelineStorage.FromConnectionString(connection);
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        using var loggers = CliLogging.Create();
        var service = new BlobServiceClient(connection);
        var job = new BlobRetrainJob(
            service.GetBlobContainerClient(StorageNames.TrainingContainer),
            service.GetBlobContainerClient(StorageNames.ModelsContainer),
            new FixedThresholdSelector(),
            loggers);
        var result = await job.RunAsync(options, cancellationToken).ConfigureAwait(false);
        var type = result.Promoted ? ModelEvents.Promoted : ModelEvents.Rejected;
        await ModelEventPublisher.EnqueueAsync(storage, result.Manifest.Version, type, cancellationToken).ConfigureAwait(false);
        Print(result);
        return result;
    }

    private static void Print(RetrainResult result)
    {
        var m = result.Manifest;
        if (result.AlreadyPublished)
        {
            Console.WriteLine($"model {m.Version} was already published by this run (same settings and data); nothing retrained");
        }

        if (result.CheckpointDiscarded)
        {
            Console.WriteLine("a checkpoint from other settings or data was found and not reused: trained from the start");
        }
        else if (result.ResumedAfterEpoch > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"resumed from the checkpoint after epoch {result.ResumedAfterEpoch}"));
        }

        foreach (var (name, reason) in result.SkippedPairs)
        {
            Console.WriteLine($"skipped {name}: {reason}");
        }

        if (result.Candidate is { } candidate)
        {
            MetricsTable.Write(candidate);
        }

        if (result.Current is { } current)
        {
            Console.WriteLine($"current model {m.Promotion?.CurrentVersion} on the same evaluation set:");
            MetricsTable.Write(current);
        }

        Console.WriteLine($"model {m.Version}: {(result.Promoted ? "promoted" : "rejected")} ({m.Promotion?.Reason}); data {m.TrainingDataFingerprint}");
    }
}
