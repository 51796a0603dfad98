using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Landslide.Pipeline.Chunks;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Stalls;

/// <summary>
/// Finds runs whose chunk or finalize worker stopped beating for <see cref="PipelineOptions.StallAfter"/> (a killed
/// worker: its message stays invisible for about 10 minutes) and re-enqueues that part. Idempotent: a chunk that is
/// done, or a run that completed, ignores the extra message, and a part is re-queued at most once per StallAfter.
/// Runs on a timer (the Functions app's StallSweep, serve's hosted service).
/// </summary>
public sealed partial class StallSweeper(PipelineStorage storage, IOptions<PipelineOptions> options, ILogger<StallSweeper> logger)
{
    /// <summary>The stalled parts of a run that is not final, oldest first (empty when everything moves).</summary>
    public static async Task<IReadOnlyList<StallView>> FindAsync(PipelineStorage storage, RunEntity run, TimeSpan stallAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(run);
        if (RunStatus.IsFinal(run.Status) || run.Status == RunStatus.Planning)
        {
            return [];
        }

        var work = storage.Container(StorageNames.WorkContainer);
        var beats = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var requeues = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var blob in work.GetBlobsAsync(BlobTraits.None, BlobStates.None, run.RunId + "/", cancellationToken).ConfigureAwait(false))
        {
            if (blob.Properties.LastModified is not { } modified)
            {
                continue;
            }

            var name = blob.Name[(run.RunId.Length + 1)..];
            if (name.EndsWith(Heartbeat.Suffix, StringComparison.Ordinal))
            {
                beats[name[..^Heartbeat.Suffix.Length]] = modified;
            }
            else if (name.EndsWith(Heartbeat.RequeuedSuffix, StringComparison.Ordinal))
            {
                requeues[name[..^Heartbeat.RequeuedSuffix.Length]] = modified;
            }
        }

        var stalled = new List<StallView>();
        var cutoff = DateTimeOffset.UtcNow - stallAfter;
        foreach (var (part, beat) in beats)
        {
            if (beat > cutoff)
            {
                continue;
            }

            if (part.StartsWith("chunk-", StringComparison.Ordinal)
                && int.TryParse(part.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && (index >= run.ChunkCount || run.ChunksDone[index] == '1'))
            {
                continue;
            }

            stalled.Add(new StallView(part, beat, requeues.TryGetValue(part, out var requeued) ? requeued : null));
        }

        return [.. stalled.OrderBy(s => s.Since)];
    }

    /// <summary>Re-enqueues every stalled part of every running or finalizing run; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var requeued = 0;
        var filter = TableClient.CreateQueryFilter($"RowKey eq {RunEntity.RowKeyValue} and (Status eq {RunStatus.Running} or Status eq {RunStatus.Finalizing})");
        await foreach (var run in storage.Runs.QueryAsync<RunEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var stall in await FindAsync(storage, run, o.StallAfter, cancellationToken).ConfigureAwait(false))
            {
                if (stall.RequeuedAt is { } at && at > DateTimeOffset.UtcNow - o.StallAfter)
                {
                    continue;
                }

                if (stall.Part == Heartbeat.FinalizePart)
                {
                    await storage.Queue(StorageNames.FinalizeQueue).SendMessageAsync(PipelineMessages.Serialize(new RunMessage(run.RunId)), cancellationToken)
                        .ConfigureAwait(false);
                }
                else
                {
                    var index = int.Parse(stall.Part.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture);
                    await storage.Queue(StorageNames.ChunksQueue).SendMessageAsync(PipelineMessages.Serialize(ChunkPlan.Message(run, index)), cancellationToken)
                        .ConfigureAwait(false);
                }

                await MarkRequeuedAsync(run.RunId, stall.Part, cancellationToken).ConfigureAwait(false);
                LogRequeued(run.Scene, run.RunId, stall.Part, stall.Since);
                requeued++;
            }

            // All chunks done, but no finalize worker ever beat: the message that completed the run was lost with its worker.
            var work = storage.Container(StorageNames.WorkContainer);
            if (run.Status == RunStatus.Finalizing && run.Timestamp < DateTimeOffset.UtcNow - o.StallAfter
                && await Heartbeat.LastBeatAsync(work, run.RunId, Heartbeat.FinalizePart, cancellationToken).ConfigureAwait(false) is null
                && !await RequeuedRecentlyAsync(run.RunId, Heartbeat.FinalizePart, o.StallAfter, cancellationToken).ConfigureAwait(false))
            {
                await storage.Queue(StorageNames.FinalizeQueue).SendMessageAsync(PipelineMessages.Serialize(new RunMessage(run.RunId)), cancellationToken)
                    .ConfigureAwait(false);
                await MarkRequeuedAsync(run.RunId, Heartbeat.FinalizePart, cancellationToken).ConfigureAwait(false);
                LogRequeued(run.Scene, run.RunId, Heartbeat.FinalizePart, run.Timestamp ?? DateTimeOffset.UtcNow);
                requeued++;
            }
        }

        return requeued;
    }

    private Task MarkRequeuedAsync(string runId, string part, CancellationToken cancellationToken) =>
        storage.Container(StorageNames.WorkContainer).GetBlobClient(Heartbeat.RequeuedBlobName(runId, part))
            .UploadAsync(BinaryData.FromString(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)), overwrite: true, cancellationToken);

    private async Task<bool> RequeuedRecentlyAsync(string runId, string part, TimeSpan within, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = await storage.Container(StorageNames.WorkContainer).GetBlobClient(Heartbeat.RequeuedBlobName(runId, part))
                .GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return properties.LastModified > DateTimeOffset.UtcNow - within;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of {Scene}: {Part} stalled since {Since}; re-queued it")]
    private partial void LogRequeued(string scene, string runId, string part, DateTimeOffset since);
}
