using Landslide.Pipeline.SceneArrival;
using Landslide.Pipeline.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Landslide.Functions;

/// <summary>
/// Queue "scenes-arrived": the BlobCreated events of scenes/ that an Event Grid subscription delivers to a storage
/// queue. Azure Functions on Container Apps has no blob-extension webhook key for Event Grid to call, so in Azure
/// this, not <see cref="SceneArrivedFunction"/>, starts a run (docs/ARCHITECTURE.md). Same handler, same outcome.
/// </summary>
public sealed partial class SceneArrivedFromQueueFunction(SceneArrivedHandler handler, PipelineStorage storage, ILogger<SceneArrivedFromQueueFunction> logger)
{
    /// <summary>The queue bicep/modules/eventgrid.bicep routes BlobCreated events of scenes/ to.</summary>
    public const string QueueName = "scenes-arrived";

    [Function(nameof(SceneArrivedFromQueue))]
    public async Task SceneArrivedFromQueue(
        [QueueTrigger(QueueName, Connection = "Storage")] string message,
        CancellationToken cancellationToken)
    {
        if (!BlobCreatedEvent.TryParse(message, StorageNames.ScenesContainer, out var name))
        {
            // Not a scene event (another event type, another container, or not Event Grid JSON): retrying cannot help.
            LogIgnored(message.Length > 200 ? message[..200] : message);
            return;
        }

        await handler.HandleAsync(storage.Container(StorageNames.ScenesContainer).GetBlobClient(name), name, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a scenes-arrived message that is not a BlobCreated event for scenes/: {Message}")]
    private partial void LogIgnored(string message);
}
