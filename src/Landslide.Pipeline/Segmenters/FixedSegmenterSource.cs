using Landslide.Core.Segmentation;

namespace Landslide.Pipeline.Segmenters;

/// <summary>A segmenter whose model is known up front (a local ONNX session): the local host's source.</summary>
public sealed class FixedSegmenterSource(ITileSegmenter segmenter) : ISegmenterSource
{
    public ValueTask<ITileSegmenter> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(segmenter);
}
