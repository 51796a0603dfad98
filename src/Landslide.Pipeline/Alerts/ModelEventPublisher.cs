using Landslide.Pipeline.Storage;

namespace Landslide.Pipeline.Alerts;

/// <summary>Queues a retrain's event (its body already at models/{version}/event.json) for the alert dispatcher.</summary>
public static class ModelEventPublisher
{
    public static async Task EnqueueAsync(PipelineStorage storage, string version, string type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var queue = storage.Queue(StorageNames.AlertsQueue);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(PipelineMessages.Serialize(new ModelEventMessage(version, type)), cancellationToken).ConfigureAwait(false);
    }
}
