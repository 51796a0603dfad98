using Landslide.Core.Features;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;

namespace Landslide.Pipeline.Mapping;

/// <summary>The cut + features step both engines run per batch, so their batches hold the same tiles and values.</summary>
internal static class TileBatches
{
    /// <summary>
    /// Cuts tiles [column, column + count) of tile row <paramref name="row"/> from a strip (band-sequential source rows
    /// [stripY, stripY + stripRows)) into <paramref name="tileBands"/> and <paramref name="valid"/>, records their
    /// windows in <paramref name="tiles"/>, and computes their features into <paramref name="features"/>.
    /// </summary>
    public static void CutAndComputeFeatures(
        TileGrid grid,
        TileCutter cutter,
        ReadOnlySpan<float> strip,
        int stripY,
        int stripRows,
        int row,
        int column,
        int count,
        Span<TileWindow> tiles,
        Span<float> tileBands,
        Span<byte> valid,
        Span<float> features)
    {
        for (var t = 0; t < count; t++)
        {
            tiles[t] = grid[column + t, row];
            cutter.Cut(
                strip, stripY, stripRows, tiles[t],
                tileBands.Slice(t * ModelContract.BandValuesPerTile, ModelContract.BandValuesPerTile),
                valid.Slice(t * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile));
        }

        FeatureExtractor.ComputeBatch(
            tileBands[..(count * ModelContract.BandValuesPerTile)], features[..(count * ModelContract.FeatureValuesPerTile)], count);
    }
}
