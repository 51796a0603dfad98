using Landslide.Core.Segmentation;

namespace Landslide.Pipeline.Tests.Stages;

/// <summary>
/// The segmenter interface in front of a real ONNX session, failing on purpose: the first <see cref="FailCalls"/>
/// calls throw as an unreachable inference service would, and <see cref="CancelOnCall"/> cancels the worker that
/// makes that call (a worker killed mid-chunk).
/// </summary>
internal sealed class FlakySegmenter(ITileSegmenter inner) : ITileSegmenter
{
    private int _calls;

    public int FailCalls { get; set; }

    /// <summary>Always fail (a service that never comes back).</summary>
    public bool AlwaysFail { get; set; }

    public int CancelOnCall { get; set; } = -1;

    public CancellationTokenSource? Killer { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public ModelDescriptor Model => inner.Model;

    public ValueTask SegmentAsync(ReadOnlyMemory<float> features, Memory<float> probabilities, int count, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        if (AlwaysFail || call <= FailCalls)
        {
            throw new HttpRequestException("inference service unavailable (connection refused)");
        }

        if (call == CancelOnCall && Killer is not null)
        {
            // The worker dies here: its host shuts it down mid-chunk and never deletes the message.
            Killer.Cancel();
            throw new OperationCanceledException("worker killed mid-chunk", Killer.Token);
        }

        return inner.SegmentAsync(features, probabilities, count, cancellationToken);
    }
}
