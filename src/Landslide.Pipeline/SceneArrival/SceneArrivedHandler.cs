using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Landslide.Core.Scenes;
using Landslide.Core.Tiling;
using Landslide.Pipeline.Chunks;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Scenes;
using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.SceneArrival;

/// <summary>
/// A scene arrived in scenes/: validate its header, record the run (id = scene + blob ETag + model version) and
/// enqueue one message per chunk. A bad scene gets results/{scene}/error.json and stays where it is. Redelivered
/// triggers and identical re-uploads find the run already recorded and enqueue nothing new.
/// </summary>
public sealed partial class SceneArrivedHandler(
    PipelineStorage storage,
    RunStore runs,
    ISegmenterSource segmenters,
    SceneBlobOpener opener,
    IOptions<PipelineOptions> options,
    ILogger<SceneArrivedHandler> logger)
{
    public async Task<SceneArrivedOutcome> HandleAsync(BlobClient scene, string name, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.StartStage("stage.scene_arrived");
        activity?.SetTag("landslide.scene", name);
        try
        {
            return await HandleCoreAsync(scene, name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or PipelineStageException or ArgumentException))
        {
            throw PipelineStageException.From($"planning scenes/{name}", e);
        }
    }

    private async Task<SceneArrivedOutcome> HandleCoreAsync(BlobClient scene, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var sceneName = SceneNames.FromBlobName(name);

        // Our own client for the blob: the trigger's may carry a different credential or encoding.
        var blob = storage.Container(StorageNames.ScenesContainer).GetBlobClient(scene.Name);
        BlobProperties properties;
        try
        {
            properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Deleted between the event and now: nothing to map, nothing to retry.
            LogGone(name);
            return new SceneArrivedOutcome(sceneName, string.Empty, "missing", 0);
        }

        var etag = SceneVersions.Of(properties);
        var segmenter = await segmenters.GetAsync(cancellationToken).ConfigureAwait(false);
        var model = segmenter.Model;
        var runId = Mapping.RunIds.Create(sceneName, etag, model.Version);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Scene"] = sceneName, ["RunId"] = runId });

        var existing = await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Status != RunStatus.Planning)
        {
            LogAlreadyKnown(sceneName, runId, existing.Status);
            return new SceneArrivedOutcome(sceneName, runId, existing.Status, 0);
        }

        var o = options.Value;
        var filter = Mapping.DetectionFilter.Resolve(o.MinAreaM2, o.MinMeanProbability, model);
        var run = existing ?? new RunEntity
        {
            PartitionKey = runId,
            Scene = sceneName,
            BlobName = blob.Name,
            BlobETag = etag,
            ModelVersion = model.Version,
            ModelSha256 = model.Sha256,
            ModelThreshold = o.Threshold ?? model.Threshold,
            FeatureVersion = model.FeatureVersion,
            ModelWidth = model.Width,
            Overlap = o.Overlap,
            BandProfile = ProfileOf(properties, o),
            MinAreaM2 = filter.MinAreaM2,
            MinMeanProbability = filter.MinMeanProbability,
            CreatedAt = DateTimeOffset.UtcNow,
        };

        if (existing is null)
        {
            try
            {
                var profile = BandProfile.Parse(run.BandProfile);
                using var opened = await opener.OpenAsync(blob, cancellationToken).ConfigureAwait(false);
                var info = opened.Scene.Info;
                await CheckAsync(blob, opened, profile, cancellationToken).ConfigureAwait(false);
                var grid = new TileGrid(info.Width, info.Height, o.Overlap);

                run.Width = info.Width;
                run.Height = info.Height;
                run.TileRows = grid.Rows;
                var perChunk = o.TileRowsPerChunk(grid.Stride);
                run.ChunkCount = (grid.Rows + perChunk - 1) / perChunk;
                run.ChunksDone = new string('0', run.ChunkCount);
                run.Tiles = grid.TileCount;
            }
            catch (SceneRejectedException e)
            {
                return await RejectAsync(run, sceneName, e, cancellationToken).ConfigureAwait(false);
            }

            if (!await runs.TryAddAsync(run, cancellationToken).ConfigureAwait(false))
            {
                // A concurrent delivery recorded it between our read and our add: that delivery plans it.
                LogAlreadyKnown(sceneName, runId, RunStatus.Planning);
                return new SceneArrivedOutcome(sceneName, runId, RunStatus.Planning, 0);
            }

            await runs.SetLatestAsync(sceneName, runId, etag, cancellationToken).ConfigureAwait(false);
        }

        // Enqueue every chunk; a crash before the status update re-enqueues them on redelivery (chunks are idempotent).
        var queue = storage.Queue(StorageNames.ChunksQueue);
        for (var i = 0; i < run.ChunkCount; i++)
        {
            await queue.SendMessageAsync(PipelineMessages.Serialize(ChunkPlan.Message(run, i)), cancellationToken).ConfigureAwait(false);
        }

        await runs.UpdateAsync(runId, r =>
        {
            if (r.Status != RunStatus.Planning)
            {
                return false;
            }

            r.Status = RunStatus.Running;
            return true;
        }, cancellationToken).ConfigureAwait(false);
        LogPlanned(sceneName, runId, run.Width, run.Height, run.ChunkCount, model.Version);
        return new SceneArrivedOutcome(sceneName, runId, RunStatus.Running, run.ChunkCount);
    }

    /// <summary>Metadata key on a scene blob naming its band profile (`serve drop --profile`).</summary>
    public const string ProfileMetadata = "profile";

    private static string ProfileOf(BlobProperties properties, PipelineOptions o) =>
        properties.Metadata.FirstOrDefault(m => string.Equals(m.Key, ProfileMetadata, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } profile
            ? profile.Trim()
            : o.BandProfile;

    /// <summary>
    /// The checks `map` makes (header, all nodata, value range for the profile). A read error over HTTP is confirmed
    /// on a downloaded copy before the scene is refused as unreadable; otherwise it is the network and is retried.
    /// </summary>
    private async Task CheckAsync(BlobClient blob, OpenedScene opened, BandProfile profile, CancellationToken cancellationToken)
    {
        try
        {
            Mapping.SceneChecks.Check(opened.Scene, profile, null, cancellationToken);
        }
        catch (Raster.GdalException e)
        {
            if (!await opener.IsUnreadableAsync(blob, cancellationToken).ConfigureAwait(false))
            {
                throw PipelineStageException.From($"reading {SceneBlobOpener.DisplayName(blob)}", e);
            }

            throw new SceneRejectedException(
                SceneError.UnreadableData, $"the pixel data of '{SceneBlobOpener.DisplayName(blob)}' cannot be read (cut short or damaged): {SecretRedactor.Redact(e.Message)}");
        }
    }

    private async Task<SceneArrivedOutcome> RejectAsync(RunEntity run, string sceneName, SceneRejectedException error, CancellationToken cancellationToken)
    {
        await SceneRejections.WriteErrorJsonAsync(storage, run, error, cancellationToken).ConfigureAwait(false);
        run.Status = RunStatus.Rejected;
        run.Reason = SceneRejections.Reason(error);
        run.FinishedAt = DateTimeOffset.UtcNow;
        _ = await runs.TryAddAsync(run, cancellationToken).ConfigureAwait(false);
        await runs.SetLatestAsync(sceneName, run.RunId, run.BlobETag, cancellationToken).ConfigureAwait(false);
        LogRejected(sceneName, error.Code, SecretRedactor.Redact(error.Message));
        return new SceneArrivedOutcome(sceneName, run.RunId, RunStatus.Rejected, 0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scene blob {Blob} is gone; nothing to map")]
    private partial void LogGone(string blob);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scene {Scene} is run {RunId} already ({Status}); nothing to do")]
    private partial void LogAlreadyKnown(string scene, string runId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Scene} as run {RunId}: {Width} x {Height} px in {Chunks} chunks, model {ModelVersion}")]
    private partial void LogPlanned(string scene, string runId, int width, int height, int chunks, string modelVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Scene}: {Code} {Reason}")]
    private partial void LogRejected(string scene, SceneError code, string reason);
}
