using Landslide.Core.Segmentation;

namespace Landslide.Core.Blending;

/// <summary>
/// The 1-D taper of a tile's blending weight: a Hann ramp across the overlap at both ends, 1 in between. For
/// neighbours one stride apart the ramps sum to exactly 1 at every shared pixel (sin² + cos²), so the separable 2-D
/// weights of the grid form a partition of unity; the first sample is sin²(π / 4·overlap) &gt; 0, so a pixel covered
/// by one tile only still takes that tile's value after normalisation.
/// </summary>
internal static class TileWeights
{
    public static float[] Create(int overlap)
    {
        const int size = ModelContract.TileSize;
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(overlap, size / 2);
        var taper = new float[size];
        Array.Fill(taper, 1f);
        for (var j = 0; j < overlap; j++)
        {
            var s = Math.Sin(Math.PI / 2 * (j + 0.5) / overlap);
            var ramp = (float)(s * s);
            taper[j] = ramp;
            taper[size - 1 - j] = ramp;
        }

        return taper;
    }
}
