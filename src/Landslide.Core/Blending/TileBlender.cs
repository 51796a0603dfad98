using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;

namespace Landslide.Core.Blending;

/// <summary>
/// Blends overlapping tile probabilities into a scene probability raster, streaming: tiles arrive tile row by tile
/// row, and after each tile row the scene rows no later tile touches (<see cref="TileGrid.RowsFinalAfter"/>) come back
/// final. Each tile contributes with weight taper(x)·taper(y)·valid(x, y) (<see cref="TileWeights"/>), so padded and
/// nodata pixels never dilute their neighbours; a pixel no valid tile pixel covers comes back as NaN. Memory: one
/// tile-row high ring of two double planes, scene wide. Not thread-safe: one blender per scene or chunk.
/// </summary>
public sealed class TileBlender
{
    private const int Size = ModelContract.TileSize;

    private readonly TileGrid _grid;
    private readonly float[] _taper;
    private readonly double[] _weighted;
    private readonly double[] _weights;
    private int _row;

    public TileBlender(TileGrid grid)
        : this(grid, firstRow: 0)
    {
    }

    /// <summary>
    /// A blender that starts at tile row <paramref name="firstRow"/>: a cloud chunk blends its tile rows plus the
    /// one before them (the halo), and keeps only the rows that halo row does not leave incomplete.
    /// </summary>
    public TileBlender(TileGrid grid, int firstRow)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(firstRow, grid.Rows);
        _row = firstRow;
        _grid = grid;
        _taper = TileWeights.Create(grid.Overlap);
        _weighted = new double[Size * grid.Width];
        _weights = new double[Size * grid.Width];
    }

    /// <summary>The tile row the blender accepts now; it moves on with each <see cref="CompleteRow"/>.</summary>
    public int CurrentRow => _row;

    /// <summary>The most scene rows one <see cref="CompleteRow"/> hands back, to size its destination (rows x width).</summary>
    public static int MaxRowsPerCompletion => Size;

    /// <summary>Value of a pixel no valid tile pixel covered.</summary>
    public static float NoValue => float.NaN;

    /// <summary>
    /// Adds one tile of the current tile row: <paramref name="probability"/> and <paramref name="validMask"/> are
    /// 128 x 128 (row-major); probabilities where the mask is 0 are ignored, NaN included.
    /// </summary>
    public void Accumulate(TileWindow tile, ReadOnlySpan<float> probability, ReadOnlySpan<byte> validMask)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability.Length, ModelContract.PixelsPerTile, nameof(probability));
        ArgumentOutOfRangeException.ThrowIfLessThan(validMask.Length, ModelContract.PixelsPerTile, nameof(validMask));
        if (tile.Row != _row)
        {
            throw new InvalidOperationException($"tile row {tile.Row} arrived while the blender is on tile row {_row}; tile rows must come in order");
        }

        if (tile.Column < 0 || tile.Column >= _grid.Columns || tile != _grid[tile.Column, tile.Row])
        {
            throw new ArgumentException($"tile {tile} is not a tile of the {_grid.Columns} x {_grid.Rows} grid", nameof(tile));
        }

        var width = _grid.Width;
        var rows = Math.Min(Size, _grid.Height - tile.Y);
        var columns = Math.Min(Size, width - tile.X);
        var taper = _taper.AsSpan(0, columns);
        for (var ty = 0; ty < rows; ty++)
        {
            var ring = ((tile.Y + ty) % Size * width) + tile.X;
            var weighted = _weighted.AsSpan(ring, columns);
            var weights = _weights.AsSpan(ring, columns);
            var p = probability.Slice(ty * Size, columns);
            var valid = validMask.Slice(ty * Size, columns);
            var wy = (double)_taper[ty];
            for (var tx = 0; tx < columns; tx++)
            {
                if (valid[tx] != 0)
                {
                    var w = wy * taper[tx];
                    weighted[tx] += w * p[tx];
                    weights[tx] += w;
                }
            }
        }
    }

    /// <summary>
    /// Ends the current tile row and writes the scene rows that are now final, (End - Start) x width probabilities
    /// (NaN where nothing valid covered the pixel), into <paramref name="destination"/>.
    /// </summary>
    /// <returns>The scene rows written, [Start, End).</returns>
    public (int Start, int End) CompleteRow(Span<float> destination)
    {
        if (_row >= _grid.Rows)
        {
            throw new InvalidOperationException($"all {_grid.Rows} tile rows are already complete");
        }

        var (start, end) = _grid.RowsFinalAfter(_row);
        var width = _grid.Width;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, (long)(end - start) * width, nameof(destination));
        for (var y = start; y < end; y++)
        {
            var ring = y % Size * width;
            var weighted = _weighted.AsSpan(ring, width);
            var weights = _weights.AsSpan(ring, width);
            var output = destination.Slice((y - start) * width, width);
            for (var x = 0; x < width; x++)
            {
                output[x] = weights[x] > 0 ? (float)(weighted[x] / weights[x]) : NoValue;
            }

            // The ring row is reused for scene row y + 128.
            weighted.Clear();
            weights.Clear();
        }

        _row++;
        return (start, end);
    }
}
