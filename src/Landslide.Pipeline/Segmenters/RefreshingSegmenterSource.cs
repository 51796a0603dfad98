using Landslide.Core.Segmentation;

namespace Landslide.Pipeline.Segmenters;

/// <summary>
/// A remote segmenter whose model is learnt by asking (e.g. the inference client's GET /v1/model): asked before
/// first use and again at most every <paramref name="refreshEvery"/>, so a promoted model keys the next runs.
/// </summary>
public sealed class RefreshingSegmenterSource(ITileSegmenter segmenter, Func<CancellationToken, Task> refresh, TimeSpan refreshEvery, TimeProvider? time = null)
    : ISegmenterSource, IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public async ValueTask<ITileSegmenter> GetAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _refreshedAt <= refreshEvery)
        {
            return segmenter;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_time.GetUtcNow() - _refreshedAt > refreshEvery)
            {
                await refresh(cancellationToken).ConfigureAwait(false);
                _refreshedAt = _time.GetUtcNow();
            }
        }
        finally
        {
            _gate.Release();
        }

        return segmenter;
    }

    public void Dispose() => _gate.Dispose();
}
