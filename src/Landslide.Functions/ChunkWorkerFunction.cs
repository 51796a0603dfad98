using Azure.Storage.Queues.Models;
using Landslide.Pipeline.Chunks;
using Microsoft.Azure.Functions.Worker;

namespace Landslide.Functions;

/// <summary>Queue "chunks": map one chunk of a run.</summary>
public sealed class ChunkWorkerFunction(ChunkWorkerHandler handler)
{
    [Function(nameof(ChunkWorker))]
    public Task ChunkWorker(
        [QueueTrigger("chunks", Connection = "Storage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Landslide.Pipeline.PipelineTelemetry.QueueWaited("chunks", message.InsertedOn);
        return handler.HandleAsync(message.MessageText, message.DequeueCount, cancellationToken);
    }
}
