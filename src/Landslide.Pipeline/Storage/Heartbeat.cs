using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Landslide.Pipeline.Storage;

/// <summary>
/// Proof that a worker is still on a part of a run: work/{run}/{part}.heartbeat, rewritten every
/// <see cref="PipelineOptions.HeartbeatInterval"/> while the part runs. Queue messages stay invisible for about
/// 10 minutes after a worker dies (the SDK's receive lease), so a heartbeat that stopped moving is what shows a
/// stall early (<see cref="StallSweeper"/>). Deleted when the part finishes or fails normally; a killed process
/// leaves it behind, which is the point.
/// </summary>
internal sealed class Heartbeat : IAsyncDisposable
{
    public const string Suffix = ".heartbeat";
    /// <summary>Marker work/{run}/{part}.requeued: when the sweeper last re-queued the part (a separate blob: writing
    /// metadata on the heartbeat would move its Last-Modified and make it look alive).</summary>
    public const string RequeuedSuffix = ".requeued";
    public const string FinalizePart = "finalize";

    private readonly BlobClient _blob;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    private Heartbeat(BlobClient blob, TimeSpan interval)
    {
        _blob = blob;
        _loop = Task.Run(() => BeatAsync(interval, _stop.Token));
    }

    /// <summary>Delete the heartbeat when disposed (the part finished or failed in a way the queue retries).</summary>
    public bool DeleteOnDispose { get; set; }

    public static string ChunkPart(int index) => FormattableString.Invariant($"chunk-{index:D5}");

    public static string BlobName(string runId, string part) => $"{runId}/{part}{Suffix}";

    public static string RequeuedBlobName(string runId, string part) => $"{runId}/{part}{RequeuedSuffix}";

    /// <summary>Writes the first beat, then keeps beating until disposed.</summary>
    public static async Task<Heartbeat> StartAsync(BlobContainerClient work, string runId, string part, TimeSpan interval, CancellationToken cancellationToken)
    {
        var blob = work.GetBlobClient(BlobName(runId, part));
        await TouchAsync(blob, cancellationToken).ConfigureAwait(false);
        return new Heartbeat(blob, interval);
    }

    /// <summary>When the part's last beat was written, or null when no worker holds it.</summary>
    public static async Task<DateTimeOffset?> LastBeatAsync(BlobContainerClient work, string runId, string part, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = await work.GetBlobClient(BlobName(runId, part)).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return properties.LastModified;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        _stop.Dispose();
        if (DeleteOnDispose)
        {
            try
            {
                await _blob.DeleteIfExistsAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // A leftover heartbeat only shows a stall later; the sweeper's requeue of a done part is a no-op.
            }
        }
    }

    private static Task TouchAsync(BlobClient blob, CancellationToken cancellationToken) =>
        blob.UploadAsync(BinaryData.FromString(DateTimeOffset.UtcNow.ToString("O")), overwrite: true, cancellationToken);

    private async Task BeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await TouchAsync(_blob, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // A missed beat is harmless unless several miss in a row, and then a stall is the right verdict.
            }
        }
    }
}
