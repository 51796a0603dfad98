namespace Landslide.InferenceServer.Batching;

/// <summary>One request's tiles waiting for a batch. The buffers belong to the request until the job completes.</summary>
internal sealed class SegmentJob(float[] features, float[] probabilities, int tiles, CancellationToken requestAborted)
{
    public float[] Features { get; } = features;

    public float[] Probabilities { get; } = probabilities;

    public int Tiles { get; } = tiles;

    /// <summary>When the job was queued (Stopwatch timestamp): the batcher records the queue wait.</summary>
    public long QueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public CancellationToken RequestAborted { get; } = requestAborted;

    public TaskCompletionSource<BatchOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
