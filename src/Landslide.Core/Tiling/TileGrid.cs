using Landslide.Core.Segmentation;

namespace Landslide.Core.Tiling;

/// <summary>
/// The regular grid of 128 x 128 model tiles over a scene. Origins sit at multiples of the stride
/// (128 - overlap) from the scene's top-left corner, so the grid depends only on the scene size and the
/// overlap: a chunk of the cloud pipeline and the one-machine path cut exactly the same tiles. The last
/// row and column of tiles may pass the scene edge; those pixels are reflection-padded and marked invalid.
/// </summary>
public sealed class TileGrid
{
    public const int TileSize = ModelContract.TileSize;

    public TileGrid(int width, int height, int overlap = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(overlap, TileSize / 2);
        Width = width;
        Height = height;
        Overlap = overlap;
        Stride = TileSize - overlap;
        Columns = CountAlong(width, Stride);
        Rows = CountAlong(height, Stride);
    }

    public int Width { get; }

    public int Height { get; }

    public int Overlap { get; }

    /// <summary>Distance between neighbouring tile origins.</summary>
    public int Stride { get; }

    public int Columns { get; }

    public int Rows { get; }

    public long TileCount => (long)Columns * Rows;

    public TileWindow this[int column, int row] => new(column, row, column * Stride, row * Stride);

    /// <summary>All tiles of one tile row, left to right.</summary>
    public IEnumerable<TileWindow> TilesInRow(int row)
    {
        for (var column = 0; column < Columns; column++)
        {
            yield return this[column, row];
        }
    }

    /// <summary>
    /// Scene rows that no tile row after <paramref name="row"/> touches: once tile row <paramref name="row"/>
    /// is blended, rows [start, end) are final and can be written.
    /// </summary>
    public (int Start, int End) RowsFinalAfter(int row)
    {
        var start = row == 0 ? 0 : row * Stride;
        var end = row == Rows - 1 ? Height : Math.Min(Height, (row + 1) * Stride);
        return (start, end);
    }

    private static int CountAlong(int size, int stride) =>
        size <= TileSize ? 1 : 1 + (int)Math.Ceiling((size - TileSize) / (double)stride);
}
