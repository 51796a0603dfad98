using Azure;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Stalls;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Queries;

/// <summary>Read side of the pipeline for the HTTP endpoints and `serve status`: a scene's latest run, and a storage health check.</summary>
public sealed class RunQueries(PipelineStorage storage, RunStore runs, IOptions<PipelineOptions>? options = null)
{
    /// <summary>Names of a completed run's outputs under results/{scene}/.</summary>
    public static IReadOnlyList<string> CompletedOutputs { get; } =
        [OutputNames.Mask, OutputNames.Probability, OutputNames.Polygons, OutputNames.Quicklook, OutputNames.Run, OutputNames.StacItem,
            OutputNames.Report, OutputNames.TrueColour];

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
            : run.Status == RunStatus.Completed ? CompletedOutputs : [];
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            links[name] = await ReadLinks.ForReadingAsync(results.GetBlobClient($"{run.Scene}/{name}"), ReadLinks.StatusLifetime, cancellationToken)
                .ConfigureAwait(false);
        }

        var stalled = await StallSweeper.FindAsync(storage, run, (options?.Value ?? new PipelineOptions()).StallAfter, cancellationToken).ConfigureAwait(false);
        return new RunView(
            run.Scene, run.RunId, stalled.Count > 0 ? RunStatus.Stalled : run.Status, SecretRedactor.Redact(run.Reason), run.ModelVersion,
            run.ChunksCompleted, run.ChunkCount, run.Polygons, run.LandslideAreaM2, run.CreatedAt, run.FinishedAt, links)
        {
            Profile = string.IsNullOrEmpty(run.BandProfile) ? null : run.BandProfile,
            Stalled = stalled.Count > 0 ? stalled : null,
        };
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
