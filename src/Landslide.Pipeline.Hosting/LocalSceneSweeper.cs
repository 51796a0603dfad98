using Azure.Storage.Blobs.Models;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.SceneArrival;
using Landslide.Pipeline.Scenes;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Landslide.Pipeline.Hosting;

/// <summary>
/// Backstop for the WebJobs blob trigger's container scan, which skips blobs written while a scan runs and then waits
/// for $logs, which Azurite never writes (Azure/azure-sdk-for-net#62763; Azure uses Event Grid instead). Every interval
/// it lists scenes/ and hands any blob version without a run to the same SceneArrived handler; the handler is
/// idempotent, so a blob the trigger also delivers is planned once.
/// </summary>
internal sealed partial class LocalSceneSweeper(
    PipelineStorage storage,
    RunStore runs,
    SceneArrivedHandler handler,
    TimeSpan interval,
    ILogger<LocalSceneSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next sweep tries again; a failing scene is the blob trigger's poison handling's business.
                LogFailed(e);
            }
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var scenes = storage.Container(StorageNames.ScenesContainer);
        await foreach (BlobItem blob in scenes.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken).ConfigureAwait(false))
        {
            var version = SceneVersions.Of(blob.Properties);
            var latest = await runs.GetLatestAsync(SceneNames.FromBlobName(blob.Name), cancellationToken).ConfigureAwait(false);
            if (latest is not null && latest.BlobETag == version)
            {
                continue;
            }

            LogFound(blob.Name);
            await handler.HandleAsync(scenes.GetBlobClient(blob.Name), blob.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep found unplanned scene {Blob}")]
    private partial void LogFound(string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scene sweep failed")]
    private partial void LogFailed(Exception error);
}
