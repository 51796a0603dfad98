using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Landslide.InferenceServer.Telemetry;

/// <summary>
/// The server's OpenTelemetry instruments: the ActivitySource and a Meter "Landslide.InferenceServer" made by the
/// host's <see cref="IMeterFactory"/>, so each server in a process has its own. GET /metrics answers them in the
/// Prometheus text format (with ASP.NET Core's own metrics); OTLP or the console get them too when configured.
/// </summary>
internal sealed class InferenceServerTelemetry
{
    public const string Name = "Landslide.InferenceServer";

    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _requests;
    private readonly Counter<long> _tiles;
    private readonly Counter<long> _batches;
    private readonly Histogram<long> _batchTiles;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _modelSwaps;
    private readonly Counter<long> _modelsRefused;
    private readonly Counter<long> _pointersRefused;

    public InferenceServerTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(Name);
        _requests = Meter.CreateCounter<long>("landslide.inference.requests", "{request}", "Segment requests served");
        _tiles = Meter.CreateCounter<long>("landslide.inference.tiles", "{tile}", "Tiles segmented");
        _batches = Meter.CreateCounter<long>("landslide.inference.batches", "{batch}", "Batches run by the dynamic batcher");
        _batchTiles = Meter.CreateHistogram<long>(
            "landslide.inference.batch.tiles",
            "{tile}",
            "Tiles per batch",
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        _queueWait = Meter.CreateHistogram<double>(
            "landslide.inference.queue.wait",
            "s",
            "Time a request's tiles waited in the queue before their batch was formed",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _rejected = Meter.CreateCounter<long>("landslide.inference.rejected", "{request}", "Segment requests refused, by HTTP status and problem code");
        _modelSwaps = Meter.CreateCounter<long>("landslide.inference.model.swaps", "{swap}", "Models swapped in");
        _modelsRefused = Meter.CreateCounter<long>("landslide.inference.models.refused", "{model}", "Models that failed to load or warm up");
        _pointersRefused = Meter.CreateCounter<long>("landslide.inference.pointers.refused", "{pointer}", "Pointer files (current.json) refused");
    }

    /// <summary>The server's meter (owned by the host's meter factory, disposed with it).</summary>
    public Meter Meter { get; }

    public void RequestServed(int tiles)
    {
        _requests.Add(1);
        _tiles.Add(tiles);
    }

    public void BatchRan(int tiles)
    {
        _batches.Add(1);
        _batchTiles.Record(tiles);
    }

    public void Queued(TimeSpan waited) => _queueWait.Record(waited.TotalSeconds);

    /// <summary>A segment request answered with a problem: <paramref name="status"/> (400-415, 408, 422, 429, 503) and its code.</summary>
    public void Rejected(int status, string code)
        => _rejected.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("code", code));

    public void ModelSwapped() => _modelSwaps.Add(1);

    public void ModelRefused() => _modelsRefused.Add(1);

    public void PointerRefused() => _pointersRefused.Add(1);

    /// <summary>Requests waiting in the batch queue, read at each collection.</summary>
    public void ObserveQueue(Func<int> queuedRequests)
        => Meter.CreateObservableUpDownCounter("landslide.inference.queue.requests", queuedRequests, "{request}", "Requests waiting in the batch queue");

    /// <summary>Request-buffer bytes reserved against the memory budget, and the budget, read at each collection.</summary>
    public void ObserveMemoryBudget(Func<long> inUse, long limit)
    {
        Meter.CreateObservableUpDownCounter("landslide.inference.memory.in_use", inUse, "By", "Request-buffer bytes reserved against the memory budget");
        Meter.CreateObservableGauge("landslide.inference.memory.limit", () => limit, "By", "The memory budget (MaxBufferedBytes)");
    }
}
