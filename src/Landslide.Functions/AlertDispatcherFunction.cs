using Azure.Storage.Queues.Models;
using Landslide.Pipeline.Alerts;
using Microsoft.Azure.Functions.Worker;

namespace Landslide.Functions;

/// <summary>Queue "alerts": POST a run's alert to every configured webhook.</summary>
public sealed class AlertDispatcherFunction(AlertDispatcher dispatcher)
{
    [Function(nameof(AlertDispatcher))]
    public Task AlertDispatcher(
        [QueueTrigger("alerts", Connection = "Storage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Landslide.Pipeline.PipelineTelemetry.QueueWaited("alerts", message.InsertedOn);
        return dispatcher.HandleAsync(message.MessageText, message.DequeueCount, cancellationToken);
    }
}
