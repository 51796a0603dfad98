using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Landslide.InferenceServer.Telemetry;

/// <summary>
/// The server's OpenTelemetry instruments (ActivitySource and Meter "Landslide.InferenceServer"): the same events
/// <see cref="ServerMetrics"/> counts for GET /metrics, plus the queue wait of each request. Silent without a listener.
/// </summary>
internal static class InferenceServerTelemetry
{
    public const string Name = "Landslide.InferenceServer";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("landslide.inference.requests", "{request}", "Segment requests served");

    private static readonly Counter<long> Tiles = Meter.CreateCounter<long>("landslide.inference.tiles", "{tile}", "Tiles segmented");

    private static readonly Counter<long> Batches = Meter.CreateCounter<long>("landslide.inference.batches", "{batch}", "Batches run by the dynamic batcher");

    private static readonly Histogram<long> BatchTiles = Meter.CreateHistogram<long>("landslide.inference.batch.tiles", "{tile}", "Tiles per batch");

    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("landslide.inference.queue.wait", "s", "Time a request's tiles waited in the queue before their batch was formed");

    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("landslide.inference.rejected", "{request}", "Requests refused, by reason");

    private static readonly Counter<long> ModelSwaps = Meter.CreateCounter<long>("landslide.inference.model.swaps", "{swap}", "Models swapped in");

    private static readonly Counter<long> ModelsRefused = Meter.CreateCounter<long>("landslide.inference.models.refused", "{model}", "Models that failed to load or warm up");

    private static readonly Counter<long> PointersRefused = Meter.CreateCounter<long>("landslide.inference.pointers.refused", "{pointer}", "Pointer files (current.json) refused");

    public static void RequestServed(int tiles)
    {
        Requests.Add(1);
        Tiles.Add(tiles);
    }

    public static void BatchRan(int tiles)
    {
        Batches.Add(1);
        BatchTiles.Record(tiles);
    }

    public static void Queued(TimeSpan waited) => QueueWait.Record(waited.TotalSeconds);

    public static void Refused(string reason) => Rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void ModelSwapped() => ModelSwaps.Add(1);

    public static void ModelRefused() => ModelsRefused.Add(1);

    public static void PointerRefused() => PointersRefused.Add(1);
}
