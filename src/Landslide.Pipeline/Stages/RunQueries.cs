using Azure;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Storage;

namespace Landslide.Pipeline.Stages;

/// <summary>Read side of the pipeline for the HTTP endpoints: a scene's latest run, and a storage health check.</summary>
public sealed class RunQueries(PipelineStorage storage, RunStore runs)
{
    public async Task<RunView?> LatestAsync(string scene, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scene);
        var latest = await runs.GetLatestAsync(scene, cancellationToken).ConfigureAwait(false);
        var run = latest is null ? null : await runs.GetAsync(latest.LatestRunId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        var results = storage.Container(StorageNames.ResultsContainer);
        var names = run.Status == RunStatus.Rejected
            ? [OutputNames.Error]
            : run.Status == RunStatus.Completed
                ? new[] { OutputNames.Mask, OutputNames.Probability, OutputNames.Polygons, OutputNames.Quicklook, OutputNames.Run, OutputNames.StacItem, OutputNames.Report, OutputNames.TrueColour }
                : [];
        var links = names.ToDictionary(n => n, n => results.GetBlobClient($"{run.Scene}/{n}").Uri.AbsoluteUri);
        return new RunView(
            run.Scene, run.RunId, run.Status, run.Reason, run.ModelVersion, run.ChunksCompleted, run.ChunkCount, run.Polygons, run.LandslideAreaM2,
            run.CreatedAt, run.FinishedAt, links);
    }

    public async Task<HealthView> HealthAsync(CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        var healthy = true;
        foreach (var (name, check) in new (string, Func<Task>)[]
        {
            ("blobs", () => storage.Container(StorageNames.ScenesContainer).GetPropertiesAsync(cancellationToken: cancellationToken)),
            ("queues", () => storage.Queue(StorageNames.ChunksQueue).GetPropertiesAsync(cancellationToken)),
            ("table", () => runs.GetLatestAsync("health-probe", cancellationToken)),
        })
        {
            try
            {
                await check().ConfigureAwait(false);
                checks[name] = "ok";
            }
            catch (RequestFailedException e)
            {
                healthy = false;
                checks[name] = $"HTTP {e.Status} {e.ErrorCode}";
            }
        }

        return new HealthView(healthy, checks);
    }
}
