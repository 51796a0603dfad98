using System.Globalization;
using Azure.Identity;
using Landslide.CommandLine;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Storage;
using Landslide.Training.Retraining;
using Microsoft.Extensions.Logging;

namespace Landslide.Training.Job.Commands;

/// <summary>
/// <c>landslide-train train --storage managedidentity|CONNECTION</c>: the retrain job against a storage account (the
/// Container Apps job, `landslide serve retrain` and `serve --retrain-every`): reads training/, writes models/, gates
/// the candidate, then queues its model.promoted / model.rejected event for the alert dispatcher of the pipeline.
/// With managedidentity the account comes from Storage__blobServiceUri, Storage__queueServiceUri and Storage__clientId.
/// </summary>
internal static class StorageRetrain
{
    public const string ManagedIdentity = "managedidentity";

    /// <summary>The connection string is in the environment (Storage__ConnectionString): how `landslide serve` starts the job, off the command line.</summary>
    public const string FromEnvironment = "env";

    public static async Task<RetrainResult> RunAsync(string storage, RetrainJobOptions options, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var pipeline = Open(storage);
        await pipeline.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        using var loggers = CliLogging.Create(logLevel);
        var job = new BlobRetrainJob(
            pipeline.Container(StorageNames.TrainingContainer), pipeline.Container(StorageNames.ModelsContainer), new FixedThresholdSelector(), loggers);
        var result = await job.RunAsync(options, cancellationToken).ConfigureAwait(false);
        var type = result.Promoted ? ModelEvents.Promoted : ModelEvents.Rejected;
        await ModelEventPublisher.EnqueueAsync(pipeline, result.Manifest.Version, type, cancellationToken).ConfigureAwait(false);
        Print(result);
        return result;
    }

    /// <summary>The Container Apps settings (Training__*, Storage__*): the host reads its environment, the libraries get options.</summary>
    public static string? Setting(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static PipelineStorage Open(string storage)
    {
        if (storage == FromEnvironment)
        {
            return PipelineStorage.FromConnectionString(
                Setting("Storage__ConnectionString") ?? throw new UsageException("--storage env needs the connection string in Storage__ConnectionString"));
        }

        if (storage != ManagedIdentity)
        {
            return PipelineStorage.FromConnectionString(storage);
        }

        var blobs = Setting("Storage__blobServiceUri") ?? throw new UsageException("--storage managedidentity needs Storage__blobServiceUri");
        var queues = Setting("Storage__queueServiceUri") ?? throw new UsageException("--storage managedidentity needs Storage__queueServiceUri");
        var clientId = Setting("Storage__clientId") ?? throw new UsageException("--storage managedidentity needs Storage__clientId");
        return PipelineStorage.FromServiceUris(
            new Uri(blobs),
            new Uri(queues),
            new Uri(blobs.Replace(".blob.", ".table.", StringComparison.Ordinal)),
            new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)));
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
