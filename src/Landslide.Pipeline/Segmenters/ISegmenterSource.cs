using Landslide.Core.Segmentation;

namespace Landslide.Pipeline.Segmenters;

/// <summary>
/// Gives the stages a segmenter whose <see cref="ITileSegmenter.Model"/> is known (the run id needs the model version):
/// the remote inference client after asking the service, or a local ONNX session.
/// </summary>
public interface ISegmenterSource
{
    ValueTask<ITileSegmenter> GetAsync(CancellationToken cancellationToken);
}
