using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Landslide.Core.Scenes;
using Landslide.Core.Tiling;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Scenes;
using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Chunks;

/// <summary>
/// Maps one chunk (a band of whole tile rows, the scene's full width, plus the tile row above as halo) straight from
/// the scene blob, writes its final probability rows to work/{run}/chunk-NNNNN.f32, and marks the chunk done with an
/// ETag-guarded update. The update that completes the last chunk enqueues "finalize". A redelivered message finds the
/// chunk done and changes nothing (it only re-enqueues finalize if a crash lost that message).
/// </summary>
public sealed partial class ChunkWorkerHandler(
    PipelineStorage storage,
    RunStore runs,
    ISegmenterSource segmenters,
    SceneBlobOpener opener,
    IOptions<PipelineOptions> options,
    ILogger<ChunkWorkerHandler> logger)
{
    /// <param name="dequeueCount">Deliveries of this message so far; on the last allowed one a failure is recorded on the run.</param>
    public async Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        var chunk = PipelineMessages.Parse<ChunkMessage>(message);
        using var activity = PipelineTelemetry.StartStage("stage.chunk");
        activity?.SetTag("landslide.run", chunk.RunId);
        activity?.SetTag("landslide.chunk", chunk.Index);
        try
        {
            await MapChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = PipelineStageException.From($"chunk {chunk.Index} of run {chunk.RunId}", e);
            if (dequeueCount >= options.Value.MaxDequeueCount)
            {
                await runs.FailAsync(chunk.RunId, $"chunk {chunk.Index} failed {dequeueCount} times: {e.GetType().Name}: {e.Message}", cancellationToken)
                    .ConfigureAwait(false);
            }

            throw failure;
        }
    }

    private async Task MapChunkAsync(ChunkMessage chunk, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(chunk.RunId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            LogUnknownRun(chunk.RunId, chunk.Index);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Scene"] = run.Scene, ["RunId"] = run.RunId, ["Chunk"] = chunk.Index });
        if (RunStatus.IsFinal(run.Status) || chunk.Index < 0 || chunk.Index >= run.ChunkCount)
        {
            LogSkipped(chunk.Index, run.Status);
            return;
        }

        if (run.ChunksDone[chunk.Index] == '1')
        {
            await EnqueueFinalizeIfLostAsync(run, cancellationToken).ConfigureAwait(false);
            return;
        }

        var blob = storage.Container(StorageNames.ScenesContainer).GetBlobClient(run.BlobName);
        if (!await IsSameVersionAsync(blob, run.BlobETag, cancellationToken).ConfigureAwait(false))
        {
            await SupersedeAsync(run.RunId, cancellationToken).ConfigureAwait(false);
            LogSuperseded(run.Scene);
            return;
        }

        var o = options.Value;
        var work = storage.Container(StorageNames.WorkContainer);
        var part = Heartbeat.ChunkPart(chunk.Index);
        if (await Heartbeat.LastBeatAsync(work, run.RunId, part, cancellationToken).ConfigureAwait(false) is { } beat
            && beat > DateTimeOffset.UtcNow - o.StallAfter)
        {
            // Another worker is on this chunk (a re-queued or redelivered copy of the message): let it finish. If it
            // dies, its heartbeat goes stale and the stall sweeper sends the chunk again.
            LogBusy(chunk.Index, beat);
            return;
        }

        var heartbeat = await Heartbeat.StartAsync(work, run.RunId, part, o.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
        await using (heartbeat.ConfigureAwait(false))
        {
            try
            {
                await MapAndRecordAsync(chunk, run, blob, o, cancellationToken).ConfigureAwait(false);
                heartbeat.DeleteOnDispose = true;
            }
            catch (Exception e) when (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // A failure the queue retries: the next delivery starts at once. Cancellation (the host stopping, a
                // killed worker) leaves the heartbeat to go stale, which is how a stall is noticed.
                heartbeat.DeleteOnDispose = true;
                throw;
            }
        }
    }

    private async Task MapAndRecordAsync(ChunkMessage chunk, RunEntity run, Azure.Storage.Blobs.BlobClient blob, PipelineOptions o, CancellationToken cancellationToken)
    {
        // The run's own model version when the source keeps earlier versions (hot swap): one model per run.
        var segmenter = (segmenters is IVersionedSegmenterSource versioned ? await versioned.GetAsync(run.ModelVersion, cancellationToken).ConfigureAwait(false) : null)
            ?? await segmenters.GetAsync(cancellationToken).ConfigureAwait(false);
        var timings = new StageTimings();
        var folder = o.TempDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        using var rows = new ChunkRowsFile(Path.Combine(folder, $"landslide-chunk-{Guid.NewGuid():N}.f32"), run.Width);
        try
        {
            using var opened = await timings.TimeAsync("open", () => opener.OpenAsync(blob, cancellationToken)).ConfigureAwait(false);
            var scene = opened.Scene;
            if (scene.Info.Width != run.Width || scene.Info.Height != run.Height)
            {
                throw new InvalidDataException($"scene '{run.BlobName}' is {scene.Info.Width} x {scene.Info.Height}, the run planned {run.Width} x {run.Height}");
            }

            var profile = BandProfile.Parse(string.IsNullOrEmpty(run.BandProfile) ? o.BandProfile : run.BandProfile);
            var grid = new TileGrid(run.Width, run.Height, run.Overlap);
            await new TileRowMapper(segmenter).MapRowsAsync(
                scene, grid, profile, scene.Info.NoData ?? profile.NoData, chunk.FirstTileRow, chunk.EndTileRow, o.BatchSize, rows, timings, null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is Raster.GdalException or SceneRejectedException { Code: SceneError.UnreadableData })
        {
            // Over HTTP this may be the network (retry); on a downloaded copy too it is the file: refuse the scene
            // as `map` does, with error.json, instead of retrying it into "failed".
            if (!await opener.IsUnreadableAsync(blob, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            var rejection = new SceneRejectedException(
                SceneError.UnreadableData, $"the pixel data of '{StorageNames.ScenesContainer}/{run.BlobName}' cannot be read (cut short or damaged): {e.Message}");
            if (await SceneRejections.RejectRunAsync(storage, runs, run, rejection, cancellationToken).ConfigureAwait(false))
            {
                LogUnreadable(run.Scene, chunk.Index);
            }

            return;
        }

        if (segmenter.Model.Version != run.ModelVersion)
        {
            throw new InvalidOperationException(
                $"the model changed from {run.ModelVersion} to {segmenter.Model.Version} during the run; upload the scene again to map it with the new model");
        }

        rows.Rewind();
        var target = storage.Container(StorageNames.WorkContainer).GetBlobClient(ChunkRowsFile.BlobName(run.RunId, chunk.Index));
        await timings.TimeAsync("upload", () => target.UploadAsync(
            rows.Stream,
            new BlobUploadOptions { Metadata = rows.Metadata() },
            cancellationToken)).ConfigureAwait(false);

        var seconds = timings.ToSeconds();
        var (updated, changed) = await runs.UpdateAsync(run.RunId, r =>
        {
            if (r.ChunksDone[chunk.Index] == '1' || RunStatus.IsFinal(r.Status))
            {
                return false;
            }

            var chars = r.ChunksDone.ToCharArray();
            chars[chunk.Index] = '1';
            r.ChunksDone = new string(chars);
            r.TimingsJson = MergeTimings(r.TimingsJson, seconds);
            if (r.AllChunksDone)
            {
                r.Status = RunStatus.Finalizing;
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);

        LogChunkDone(chunk.Index, run.ChunkCount, rows.StartRow, rows.Rows, updated.ChunksCompleted);
        if (changed && updated.AllChunksDone)
        {
            await storage.Queue(StorageNames.FinalizeQueue).SendMessageAsync(PipelineMessages.Serialize(new RunMessage(run.RunId)), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>All chunks done but the run still waits: the worker that completed it crashed before enqueuing finalize.</summary>
    private async Task EnqueueFinalizeIfLostAsync(RunEntity run, CancellationToken cancellationToken)
    {
        if (run.AllChunksDone && run.Status == RunStatus.Finalizing && run.Timestamp < DateTimeOffset.UtcNow.AddMinutes(-1))
        {
            await storage.Queue(StorageNames.FinalizeQueue).SendMessageAsync(PipelineMessages.Serialize(new RunMessage(run.RunId)), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static async Task<bool> IsSameVersionAsync(Azure.Storage.Blobs.BlobClient blob, string etag, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return SceneVersions.Of(properties) == etag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private Task SupersedeAsync(string runId, CancellationToken cancellationToken) =>
        runs.UpdateAsync(runId, r =>
        {
            if (RunStatus.IsFinal(r.Status))
            {
                return false;
            }

            r.Status = RunStatus.Superseded;
            r.Reason = "the scene blob changed or was deleted during the run";
            r.FinishedAt = DateTimeOffset.UtcNow;
            return true;
        }, cancellationToken);

    internal static string MergeTimings(string json, IReadOnlyDictionary<string, double> add)
    {
        var sums = JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [];
        foreach (var (stage, seconds) in add)
        {
            sums[stage] = Math.Round(sums.GetValueOrDefault(stage) + seconds, 3);
        }

        return JsonSerializer.Serialize(sums);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chunk {Index} names run {RunId}, which is not recorded; dropping the message")]
    private partial void LogUnknownRun(string runId, int index);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chunk {Index} is being mapped by another worker (heartbeat {Beat}); leaving it to that one")]
    private partial void LogBusy(int index, DateTimeOffset beat);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Scene}: chunk {Index} found its pixel data unreadable (error.json written)")]
    private partial void LogUnreadable(string scene, int index);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chunk {Index} skipped: the run is {Status}")]
    private partial void LogSkipped(int index, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scene {Scene} changed during the run; the run is superseded")]
    private partial void LogSuperseded(string scene);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chunk {Index} of {Chunks} done: rows {StartRow} + {Rows}; {Completed} chunks complete")]
    private partial void LogChunkDone(int index, int chunks, int startRow, int rows, int completed);
}
