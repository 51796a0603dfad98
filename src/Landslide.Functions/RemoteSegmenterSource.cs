using Landslide.Core.Segmentation;
using Landslide.Inference.Client;
using Landslide.Pipeline.Stages;

namespace Landslide.Functions;

/// <summary>
/// The inference client as the stages' segmenter. The model version keys every run, so it is asked of the service
/// (GET /v1/model) at most once a minute; the client also learns it from every answer.
/// </summary>
internal sealed class RemoteSegmenterSource(InferenceClient client, TimeProvider? time = null) : ISegmenterSource
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public async ValueTask<ITileSegmenter> GetAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _refreshedAt > RefreshEvery)
        {
            await client.RefreshModelAsync(cancellationToken).ConfigureAwait(false);
            _refreshedAt = _time.GetUtcNow();
        }

        return client;
    }
}
