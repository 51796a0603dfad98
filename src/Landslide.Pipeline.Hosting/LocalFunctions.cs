using Azure.Storage.Blobs;
using Azure.Storage.Queues.Models;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Chunks;
using Landslide.Pipeline.Finalize;
using Landslide.Pipeline.SceneArrival;
using Microsoft.Azure.WebJobs;

namespace Landslide.Pipeline.Hosting;

/// <summary>The same triggers as the Functions app, for the WebJobs SDK: each one calls its stage handler.</summary>
public sealed class LocalFunctions(
    SceneArrivedHandler sceneArrived,
    ChunkWorkerHandler chunks,
    FinalizerHandler finalizer,
    AlertDispatcher alerts)
{
    [FunctionName("SceneArrived")]
    public Task SceneArrived([BlobTrigger("scenes/{name}", Connection = "Storage")] BlobClient scene, string name, CancellationToken cancellationToken) =>
        sceneArrived.HandleAsync(scene, name, cancellationToken);

    [FunctionName("ChunkWorker")]
    public Task ChunkWorker([QueueTrigger("chunks", Connection = "Storage")] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        PipelineTelemetry.QueueWaited("chunks", message.InsertedOn);
        return chunks.HandleAsync(message.MessageText, message.DequeueCount, cancellationToken);
    }

    [FunctionName("Finalizer")]
    public Task Finalizer([QueueTrigger("finalize", Connection = "Storage")] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        PipelineTelemetry.QueueWaited("finalize", message.InsertedOn);
        return finalizer.HandleAsync(message.MessageText, message.DequeueCount, cancellationToken);
    }

    [FunctionName("AlertDispatcher")]
    public Task AlertDispatcher([QueueTrigger("alerts", Connection = "Storage")] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        PipelineTelemetry.QueueWaited("alerts", message.InsertedOn);
        return alerts.HandleAsync(message.MessageText, message.DequeueCount, cancellationToken);
    }
}
