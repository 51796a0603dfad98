namespace Landslide.Pipeline.Triggers;

/// <summary>host.json extensions.queues: how the Functions host (and `landslide serve`) delivers and retries queue messages.</summary>
public sealed record HostQueueSettings(
    int BatchSize,
    int NewBatchThreshold,
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    TimeSpan MaxPollingInterval,
    string MessageEncoding);
