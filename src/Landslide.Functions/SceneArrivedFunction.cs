using Azure.Storage.Blobs;
using Landslide.Pipeline.SceneArrival;
using Microsoft.Azure.Functions.Worker;

namespace Landslide.Functions;

/// <summary>scenes/{name} created (Event Grid source): validate, record the run, enqueue its chunks.</summary>
public sealed class SceneArrivedFunction(SceneArrivedHandler handler)
{
    [Function(nameof(SceneArrived))]
    public Task SceneArrived(
        [BlobTrigger("scenes/{name}", Source = BlobTriggerSource.EventGrid, Connection = "Storage")] BlobClient scene,
        string name,
        CancellationToken cancellationToken)
        => handler.HandleAsync(scene, name, cancellationToken);
}
