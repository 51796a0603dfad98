using Landslide.Core.Segmentation;

namespace Landslide.InferenceServer.Models;

/// <summary>
/// A loaded, warmed-up model with a lease count: a hot swap retires it, and it is disposed only when the last
/// batch that leased it has finished, so no in-flight request loses its session.
/// </summary>
internal sealed class ServingModel(ITileSegmenter segmenter, string provider, IDisposable? owner)
{
    // The slot's own reference counts as one lease until the model is retired.
    private int _leases = 1;

    public ITileSegmenter Segmenter { get; } = segmenter;

    public ModelDescriptor Descriptor => Segmenter.Model;

    public string Provider { get; } = provider;

    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;

    public bool IsDisposed => Volatile.Read(ref _leases) == 0;

    public bool TryAcquire()
    {
        while (true)
        {
            var leases = Volatile.Read(ref _leases);
            if (leases == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _leases, leases + 1, leases) == leases)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0)
        {
            owner?.Dispose();
        }
    }
}
