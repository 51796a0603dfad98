using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Landslide.Pipeline;

/// <summary>
/// The pipeline's traces and metrics, both named "Landslide.Pipeline". Only the BCL types: hosts decide where they go
/// (OpenTelemetry exporters subscribe to <see cref="Name"/>); with no listener every call here costs next to nothing.
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>The name of the ActivitySource and of the Meter.</summary>
    public const string Name = "Landslide.Pipeline";

    /// <summary>Spans: one per stage handler run and per scene or chunk mapped.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Tiles = Meter.CreateCounter<long>("landslide.pipeline.tiles", "{tile}", "Tiles segmented (halo tiles included)");

    private static readonly Counter<long> Batches = Meter.CreateCounter<long>("landslide.pipeline.batches", "{batch}", "Batches handed to the segmenter");

    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("landslide.pipeline.stage.duration", "s", "Wall time of one stage step (read, features, inference, cog, ...)");

    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("landslide.pipeline.queue.wait", "s", "Time from a message's insertion into its queue to the start of its handler");

    private static readonly Counter<long> ModelSwaps = Meter.CreateCounter<long>("landslide.pipeline.model.swaps", "{swap}", "Times a host started serving another model version");

    /// <summary>Starts a span for a stage (null when nobody listens).</summary>
    public static Activity? StartStage(string stage) => Source.StartActivity(stage, ActivityKind.Internal);

    /// <summary>Counts tiles segmented, tagged with the engine's name (Mapping's MapEngine).</summary>
    public static void TilesMapped<TEngine>(long tiles, TEngine engine)
        where TEngine : struct, Enum =>
        Tiles.Add(tiles, new KeyValuePair<string, object?>("engine", engine.ToString()));

    /// <summary>Counts one batch given to the segmenter.</summary>
    public static void BatchSegmented() => Batches.Add(1);

    /// <summary>Records a stage step's wall time (every Mapping.StageTimings entry goes through here).</summary>
    public static void StageTimed(string stage, TimeSpan elapsed) =>
        StageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>Records how long a queue message waited before its handler started.</summary>
    public static void QueueWaited(string queue, DateTimeOffset? insertedOn)
    {
        if (insertedOn is { } at)
        {
            QueueWait.Record(Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds), new KeyValuePair<string, object?>("queue", queue));
        }
    }

    /// <summary>Counts a model swap.</summary>
    public static void ModelSwapped(string version) => ModelSwaps.Add(1, new KeyValuePair<string, object?>("version", version));
}
