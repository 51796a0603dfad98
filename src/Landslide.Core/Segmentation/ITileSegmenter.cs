namespace Landslide.Core.Segmentation;

/// <summary>
/// Turns feature tiles into landslide probabilities. The local ONNX Runtime session and the remote
/// inference client both implement it, so the pipeline cannot tell them apart.
/// </summary>
public interface ITileSegmenter
{
    /// <summary>The model behind the segmenter (version, threshold, ...).</summary>
    ModelDescriptor Model { get; }

    /// <summary>
    /// Segments <paramref name="count"/> tiles. <paramref name="features"/> holds count x 23 x 128 x 128
    /// float32 values (NCHW); <paramref name="probabilities"/> receives count x 128 x 128 values in [0, 1],
    /// tile order preserved.
    /// </summary>
    ValueTask SegmentAsync(ReadOnlyMemory<float> features, Memory<float> probabilities, int count, CancellationToken cancellationToken);
}
