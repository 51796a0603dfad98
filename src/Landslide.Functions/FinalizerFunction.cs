using Azure.Storage.Queues.Models;
using Landslide.Pipeline.Finalize;
using Microsoft.Azure.Functions.Worker;

namespace Landslide.Functions;

/// <summary>Queue "finalize": mosaic a run's chunks into results/{scene}/.</summary>
public sealed class FinalizerFunction(FinalizerHandler handler)
{
    [Function(nameof(Finalizer))]
    public Task Finalizer(
        [QueueTrigger("finalize", Connection = "Storage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Landslide.Pipeline.PipelineTelemetry.QueueWaited("finalize", message.InsertedOn);
        return handler.HandleAsync(message.MessageText, message.DequeueCount, cancellationToken);
    }
}
