using Landslide.Core.Segmentation;

namespace Landslide.Pipeline.Segmenters;

/// <summary>
/// A segmenter source that can still hand out an earlier model version (an in-process model that hot-swaps): chunk
/// workers ask for the run's version, so a promotion during a run never mixes models within one output.
/// </summary>
public interface IVersionedSegmenterSource : ISegmenterSource
{
    /// <summary>The segmenter of <paramref name="version"/>, or null when this source cannot provide it.</summary>
    ValueTask<ITileSegmenter?> GetAsync(string version, CancellationToken cancellationToken);
}
