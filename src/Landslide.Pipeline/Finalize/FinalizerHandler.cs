using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Landslide.Core.Blending;
using Landslide.Core.Scenes;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Chunks;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Scenes;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Finalize;

/// <summary>
/// Every chunk is done: mosaic the chunk rows into probability.tif and mask.tif (COG on the scene's grid), polygonize
/// the whole mask (so polygons crossing chunk seams come out as one), write quicklook.png, run.json and the STAC item
/// to results/{scene}/, and enqueue the alert when something was detected. Rewriting the same outputs is harmless,
/// so a redelivered message is safe; a completed run is left alone.
/// </summary>
public sealed partial class FinalizerHandler(
    PipelineStorage storage,
    RunStore runs,
    SceneBlobOpener opener,
    IOptions<PipelineOptions> options,
    IOptions<AlertOptions> alertOptions,
    ILogger<FinalizerHandler> logger)
{
    public async Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        var runMessage = PipelineMessages.Parse<RunMessage>(message);
        using var activity = PipelineTelemetry.StartStage("stage.finalize");
        activity?.SetTag("landslide.run", runMessage.RunId);
        try
        {
            await FinalizeWithHeartbeatAsync(runMessage.RunId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = PipelineStageException.From($"finalize of run {runMessage.RunId}", e);
            if (dequeueCount >= options.Value.MaxDequeueCount)
            {
                await runs.FailAsync(runMessage.RunId, $"finalize failed {dequeueCount} times: {e.GetType().Name}: {e.Message}", cancellationToken).ConfigureAwait(false);
            }

            throw failure;
        }
    }

    private async Task FinalizeWithHeartbeatAsync(string runId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var work = storage.Container(StorageNames.WorkContainer);
        if (await Heartbeat.LastBeatAsync(work, runId, Heartbeat.FinalizePart, cancellationToken).ConfigureAwait(false) is { } beat
            && beat > DateTimeOffset.UtcNow - o.StallAfter
            && await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) is { } current && !RunStatus.IsFinal(current.Status))
        {
            // Another finalizer is on this run (a re-queued copy): one writer of the outputs and of the alert.
            LogBusy(runId, beat);
            return;
        }

        var heartbeat = await Heartbeat.StartAsync(work, runId, Heartbeat.FinalizePart, o.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
        await using (heartbeat.ConfigureAwait(false))
        {
            try
            {
                await FinalizeAsync(runId, cancellationToken).ConfigureAwait(false);
                heartbeat.DeleteOnDispose = true;
            }
            catch (Exception e) when (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                heartbeat.DeleteOnDispose = true;
                throw;
            }
        }
    }

    private async Task FinalizeAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null || RunStatus.IsFinal(run.Status) || !run.AllChunksDone)
        {
            LogNothingToDo(runId, run?.Status ?? "unknown");
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Scene"] = run.Scene, ["RunId"] = runId });
        var latest = await runs.GetLatestAsync(run.Scene, cancellationToken).ConfigureAwait(false);
        if (latest is not null && latest.LatestRunId != runId)
        {
            // A newer upload of the scene owns results/{scene}/; do not overwrite its outputs with older ones.
            await runs.UpdateAsync(runId, r =>
            {
                r.Status = RunStatus.Superseded;
                r.Reason = $"run {latest.LatestRunId} of a newer upload owns the results";
                r.FinishedAt = DateTimeOffset.UtcNow;
                return !RunStatus.IsFinal(r.Status);
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var o = options.Value;
        var timings = new StageTimings();
        var total = Stopwatch.StartNew();
        var folder = Path.Combine(o.TempDirectory ?? Path.GetTempPath(), $"landslide-final-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var profile = BandProfile.Parse(string.IsNullOrEmpty(run.BandProfile) ? o.BandProfile : run.BandProfile);
            var filter = new DetectionFilter(run.MinAreaM2, run.MinMeanProbability);
            var blob = storage.Container(StorageNames.ScenesContainer).GetBlobClient(run.BlobName);
            using var opened = await timings.TimeAsync("open", () => opener.OpenAsync(blob, cancellationToken)).ConfigureAwait(false);
            var info = opened.Scene.Info;
            using var outputs = RunOutputWriter.Create(folder, info, profile, run.ModelThreshold, o.QuicklookSize, MapEngine.Pipelined);
            await MosaicAsync(run, opened, outputs, timings, cancellationToken).ConfigureAwait(false);
            var polygons = await outputs.FinishAsync(filter, timings, cancellationToken).ConfigureAwait(false);

            var chunkTimings = JsonSerializer.Deserialize<Dictionary<string, double>>(run.TimingsJson) ?? [];
            foreach (var (stage, seconds) in timings.ToSeconds())
            {
                chunkTimings["finalize_" + stage] = seconds;
            }

            chunkTimings["finalize_total"] = Math.Round(total.Elapsed.TotalSeconds, 3);
            var record = new RunRecord
            {
                RunId = runId,
                Scene = new RunScene(
                    blob.Uri.GetLeftPart(UriPartial.Path), run.BlobETag, info.Width, info.Height, info.Epsg, info.GeoTransform.ToArray(), profile.Name, info.NoData ?? profile.NoData),
                Model = new RunModel(run.ModelVersion, run.ModelSha256, run.FeatureVersion, run.ModelWidth),
                Settings = new RunSettings(run.ModelThreshold, run.Overlap, o.BatchSize, filter.MinAreaM2, filter.MinMeanProbability),
                Counts = new RunCounts(run.Tiles, outputs.ValidPixels, outputs.LandslidePixels, polygons.Count, polygons.TotalAreaM2),
                TimingsSeconds = chunkTimings,
                Outputs = RunOutputWriter.Outputs,
                StartedAt = run.CreatedAt,
                FinishedAt = DateTimeOffset.UtcNow,
            };
            await outputs.WriteRecordAsync(record, info, polygons, cancellationToken).ConfigureAwait(false);

            await timings.TimeAsync("upload", async () =>
            {
                foreach (var name in record.Outputs)
                {
                    var target = storage.Container(StorageNames.ResultsContainer).GetBlobClient($"{run.Scene}/{name}");
                    await target.UploadAsync(
                        Path.Combine(folder, name),
                        new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(name) } },
                        cancellationToken).ConfigureAwait(false);
                }

                // A rejected earlier version of this scene left an error.json that no longer applies.
                await storage.Container(StorageNames.ResultsContainer).GetBlobClient($"{run.Scene}/{OutputNames.Error}")
                    .DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);

            var alert = alertOptions.Value.Webhooks.Any(w => w.IsEnabled)
                ? await AlertPayloads.CreateAsync(record, run.Scene, outputs.PolygonsPath, storage, alertOptions.Value, cancellationToken).ConfigureAwait(false)
                : null;
            if (alert is not null)
            {
                // The exact body is stored once, so every delivery (and redelivery) signs the same bytes.
                var alertBlob = storage.Container(StorageNames.WorkContainer).GetBlobClient(AlertPayloads.BlobName(runId));
                await alertBlob.UploadAsync(BinaryData.FromBytes(alert), overwrite: true, cancellationToken).ConfigureAwait(false);
                await storage.Queue(StorageNames.AlertsQueue).SendMessageAsync(PipelineMessages.Serialize(new RunMessage(runId)), cancellationToken)
                    .ConfigureAwait(false);
            }

            await runs.UpdateAsync(runId, r =>
            {
                if (RunStatus.IsFinal(r.Status))
                {
                    return false;
                }

                r.Status = RunStatus.Completed;
                r.Polygons = polygons.Count;
                r.LandslideAreaM2 = polygons.TotalAreaM2;
                r.TimingsJson = JsonSerializer.Serialize(chunkTimings);
                r.FinishedAt = record.FinishedAt;
                return true;
            }, cancellationToken).ConfigureAwait(false);
            LogFinalized(run.Scene, polygons.Count, polygons.TotalAreaM2, alert is not null);
            await DeleteChunkFilesAsync(run, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Temp files are cleaned by the OS; a leftover must not fail a finished run.
            }
        }
    }

    /// <summary>Feeds the chunk rows, in order, with the scene's bands beside them (for the quicklook) to the run's outputs.</summary>
    private async Task MosaicAsync(RunEntity run, OpenedScene opened, RunOutputWriter outputs, StageTimings timings, CancellationToken cancellationToken)
    {
        var info = opened.Scene.Info;
        var width = info.Width;
        var blockRows = TileBlender.MaxRowsPerCompletion;
        var bytes = ArrayPool<byte>.Shared.Rent(blockRows * width * sizeof(float));
        var strip = ArrayPool<float>.Shared.Rent(info.BandCount * blockRows * width);
        try
        {
            var nextRow = 0;
            for (var i = 0; i < run.ChunkCount; i++)
            {
                var chunkBlob = storage.Container(StorageNames.WorkContainer).GetBlobClient(ChunkRowsFile.BlobName(run.RunId, i));
                var download = await chunkBlob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                using var content = download.Value;
                var (startRow, chunkRows) = ChunkRowsFile.ReadMetadata(content.Details.Metadata);
                if (startRow != nextRow)
                {
                    throw new InvalidDataException($"chunk {i} of run {run.RunId} starts at row {startRow}; the mosaic expected row {nextRow}");
                }

                var stream = content.Content;
                await using (stream.ConfigureAwait(false))
                {
                    for (var done = 0; done < chunkRows; done += blockRows)
                    {
                        var count = Math.Min(blockRows, chunkRows - done);
                        var plane = count * width;
                        await stream.ReadExactlyAsync(bytes.AsMemory(0, plane * sizeof(float)), cancellationToken).ConfigureAwait(false);
                        var y = startRow + done;
                        timings.Time("read", () => opened.Scene.ReadWindow(0, y, width, count, strip.AsSpan(0, info.BandCount * plane)));
                        timings.Time("mosaic", () => outputs.OnRows(
                            y, MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, plane * sizeof(float))), strip.AsSpan(0, info.BandCount * plane), y, count));
                    }
                }

                nextRow = startRow + chunkRows;
            }

            if (nextRow != info.Height)
            {
                throw new InvalidDataException($"the chunks of run {run.RunId} cover rows 0..{nextRow - 1}; the scene has {info.Height}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<float>.Shared.Return(strip);
        }
    }

    /// <summary>The chunk rows are in the outputs now; work/ keeps only what the alert still needs (alert.json).</summary>
    private async Task DeleteChunkFilesAsync(RunEntity run, CancellationToken cancellationToken)
    {
        var work = storage.Container(StorageNames.WorkContainer);
        await work.GetBlobClient(Heartbeat.RequeuedBlobName(run.RunId, Heartbeat.FinalizePart)).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < run.ChunkCount; i++)
        {
            await work.GetBlobClient(ChunkRowsFile.BlobName(run.RunId, i)).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await work.GetBlobClient(Heartbeat.BlobName(run.RunId, Heartbeat.ChunkPart(i))).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await work.GetBlobClient(Heartbeat.RequeuedBlobName(run.RunId, Heartbeat.ChunkPart(i))).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".tif" => "image/tiff; application=geotiff; profile=cloud-optimized",
        ".geojson" => "application/geo+json",
        ".png" => "image/png",
        ".html" => "text/html; charset=utf-8",
        _ => "application/json",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Finalize of run {RunId} is running in another worker (heartbeat {Beat}); leaving it to that one")]
    private partial void LogBusy(string runId, DateTimeOffset beat);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finalize of run {RunId}: nothing to do ({Status})")]
    private partial void LogNothingToDo(string runId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finalized {Scene}: {Polygons} polygons, {AreaM2:F0} m2, alert {Alert}")]
    private partial void LogFinalized(string scene, int polygons, double areaM2, bool alert);
}
