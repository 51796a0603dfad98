using Landslide.Core.Segmentation;

namespace Landslide.Core.Features;

/// <summary>
/// The 14 -> 23 channel features of MODEL.md, computed per 128 x 128 tile. One implementation, used by
/// training and by inference.
/// </summary>
public static class FeatureExtractor
{
    /// <summary>
    /// Computes the 23 feature channels of one tile. <paramref name="bands"/> is 14 x 128 x 128 float32 in
    /// Landslide4Sense scale, band-sequential (CHW); <paramref name="features"/> receives 23 x 128 x 128 (CHW).
    /// </summary>
    public static void Compute(ReadOnlySpan<float> bands, Span<float> features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands.Length, ModelContract.BandValuesPerTile);
        ArgumentOutOfRangeException.ThrowIfLessThan(features.Length, ModelContract.FeatureValuesPerTile);
        throw new NotImplementedException("being written: see the features work item");
    }
}
