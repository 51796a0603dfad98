using Landslide.InferenceServer.Telemetry;

namespace Landslide.InferenceServer;

/// <summary>
/// Counters answered by GET /metrics (JSON), enough to see batching and swaps at work; each event also goes to the
/// OpenTelemetry instruments of <see cref="InferenceServerTelemetry"/>.
/// </summary>
internal sealed class ServerMetrics
{
    private long _requests;
    private long _tiles;
    private long _batches;
    private long _largestBatchTiles;
    private long _lastBatchTiles;
    private long _rejectedQueueFull;
    private long _rejectedInvalid;
    private long _modelSwaps;
    private long _modelsRefused;
    private long _pointersRefused;
    private long _rejectedMemoryBudget;
    private long _bufferedBytes;
    private long _peakBufferedBytes;

    public void RequestServed(int tiles)
    {
        InferenceServerTelemetry.RequestServed(tiles);
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _tiles, tiles);
    }

    public void BatchRan(int tiles)
    {
        InferenceServerTelemetry.BatchRan(tiles);
        Interlocked.Increment(ref _batches);
        Interlocked.Exchange(ref _lastBatchTiles, tiles);
        long seen;
        while ((seen = Interlocked.Read(ref _largestBatchTiles)) < tiles && Interlocked.CompareExchange(ref _largestBatchTiles, tiles, seen) != seen)
        {
        }
    }

    public void QueueFull()
    {
        InferenceServerTelemetry.Refused("queue_full");
        Interlocked.Increment(ref _rejectedQueueFull);
    }

    public void Invalid()
    {
        InferenceServerTelemetry.Refused("invalid");
        Interlocked.Increment(ref _rejectedInvalid);
    }

    public void ModelSwapped()
    {
        InferenceServerTelemetry.ModelSwapped();
        Interlocked.Increment(ref _modelSwaps);
    }

    public void ModelRefused()
    {
        InferenceServerTelemetry.ModelRefused();
        Interlocked.Increment(ref _modelsRefused);
    }

    public void PointerRefused()
    {
        InferenceServerTelemetry.PointerRefused();
        Interlocked.Increment(ref _pointersRefused);
    }

    public void MemoryBudgetSpent()
    {
        InferenceServerTelemetry.Refused("memory_budget");
        Interlocked.Increment(ref _rejectedMemoryBudget);
    }

    public void Buffered(long inUse)
    {
        Interlocked.Exchange(ref _bufferedBytes, inUse);
        long seen;
        while ((seen = Interlocked.Read(ref _peakBufferedBytes)) < inUse && Interlocked.CompareExchange(ref _peakBufferedBytes, inUse, seen) != seen)
        {
        }
    }

    public object Snapshot(int queuedRequests) => new
    {
        queuedRequests,
        requests = Interlocked.Read(ref _requests),
        tiles = Interlocked.Read(ref _tiles),
        batches = Interlocked.Read(ref _batches),
        largestBatchTiles = Interlocked.Read(ref _largestBatchTiles),
        lastBatchTiles = Interlocked.Read(ref _lastBatchTiles),
        rejectedQueueFull = Interlocked.Read(ref _rejectedQueueFull),
        rejectedInvalid = Interlocked.Read(ref _rejectedInvalid),
        modelSwaps = Interlocked.Read(ref _modelSwaps),
        modelsRefused = Interlocked.Read(ref _modelsRefused),
        pointersRefused = Interlocked.Read(ref _pointersRefused),
        rejectedMemoryBudget = Interlocked.Read(ref _rejectedMemoryBudget),
        bufferedBytes = Interlocked.Read(ref _bufferedBytes),
        peakBufferedBytes = Interlocked.Read(ref _peakBufferedBytes),
    };
}
