using Landslide.Core.Blending;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tests.Tiling;
using Landslide.Core.Tiling;

namespace Landslide.Core.Tests.Blending;

public sealed class TileBlenderTests
{
    private const int Size = ModelContract.TileSize;
    private const int Pixels = ModelContract.PixelsPerTile;

    [Fact]
    public void Blend_SingleTile_ReproducesItsValuesExactly()
    {
        var grid = new TileGrid(128, 128);
        var blender = new TileBlender(grid);
        var probability = RandomProbabilities(new Random(1));
        var mask = Full();
        var output = new float[Size * Size];

        blender.Accumulate(grid[0, 0], probability, mask);
        var (start, end) = blender.CompleteRow(output);

        Assert.Equal((0, 128), (start, end));
        Assert.Equal(probability, output);
    }

    [Fact]
    public void Blend_PixelsOnlyOneTileCovers_KeepThatTilesValue()
    {
        // 300 x 200, overlap 32: tiles at x = 0, 96, 192 and y = 0, 96. Scene corners and edges outside the overlaps
        // are covered by one tile only, where its taper is far below 1.
        var grid = new TileGrid(300, 200);
        var random = new Random(2);
        var tiles = new Dictionary<TileWindow, float[]>();
        var scene = BlendAll(grid, t => tiles[t] = RandomProbabilities(random), _ => Full());

        Assert.Equal(tiles[grid[0, 0]][0], scene[0]);
        Assert.Equal(tiles[grid[0, 0]][(10 * Size) + 50], scene[(10 * 300) + 50]);
        Assert.Equal(tiles[grid[2, 1]][(103 * Size) + 107], scene[(199 * 300) + 299]);
        Assert.Equal(tiles[grid[1, 0]][(3 * Size) + 60], scene[(3 * 300) + 156]);
    }

    [Fact]
    public void Blend_MaskedPixels_GiveNoValueAndDoNotDiluteNeighbours()
    {
        // Two tiles side by side (overlap 32). Tile 0 says 0.2 everywhere, tile 1 says 0.9 but its mask is 0 on the
        // whole overlap and its probabilities there are garbage. The overlap must read 0.2, not a mix.
        var grid = new TileGrid(224, 128);
        var scene = BlendAll(
            grid,
            t => Filled(t.Column == 0 ? 0.2f : 0.9f, garbageWhere: t.Column == 1 ? (x, _) => x < 32 : null),
            t => t.Column == 0 ? Full() : Mask((x, y) => x >= 32 && !(x == 64 && y == 64)));

        Assert.Equal(0.2f, scene[(40 * 224) + 100]);
        Assert.Equal(0.2f, scene[(40 * 224) + 127]);
        Assert.Equal(0.9f, scene[(40 * 224) + 128]);

        // A pixel no tile marks valid (tile 1's (64, 64) = scene (160, 64), covered by tile 1 only) is NaN.
        Assert.True(float.IsNaN(scene[(64 * 224) + 160]));
        Assert.Equal(0.9f, scene[(64 * 224) + 161]);
    }

    [Theory]
    [InlineData(350, 290, 32)]
    [InlineData(300, 200, 16)]
    [InlineData(129, 400, 64)]
    [InlineData(90, 70, 32)]
    public void Blend_TranslationEquivariantModel_HasNoSeams(int width, int height, int overlap)
    {
        // The "model" sees only the bands of its own pixel, so blended tiles must equal the model run on the whole scene.
        var scene = TileCutterTests.Scene(width, height, seed: width + height);
        var random = new Random(overlap);
        for (var i = 0; i < 40; i++)
        {
            scene.Set(random.Next(14), random.Next(width), random.Next(height), i % 2 == 0 ? 0f : float.NaN);
        }

        var grid = new TileGrid(width, height, overlap);
        var cutter = new TileCutter(width, height, BandProfile.S2L2aDn);
        var blender = new TileBlender(grid);
        var bands = new float[ModelContract.BandValuesPerTile];
        var mask = new byte[Pixels];
        var probability = new float[Pixels];
        var rows = new float[TileBlender.MaxRowsPerCompletion * width];
        var result = new float[width * height];
        for (var row = 0; row < grid.Rows; row++)
        {
            // Stream: only the strip of rows this tile row needs, as the raster reader would hand it over.
            var (stripStart, stripEnd) = cutter.SourceRows(grid[0, row].Y);
            var strip = Strip(scene, stripStart, stripEnd);
            foreach (var tile in grid.TilesInRow(row))
            {
                cutter.Cut(strip, stripStart, stripEnd - stripStart, tile, bands, mask);
                for (var i = 0; i < Pixels; i++)
                {
                    probability[i] = Model(bands, i, Pixels);
                }

                blender.Accumulate(tile, probability, mask);
            }

            var (start, end) = blender.CompleteRow(rows);
            rows.AsSpan(0, (end - start) * width).CopyTo(result.AsSpan(start * width));
        }

        var worst = 0.0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var pixelBands = new float[14];
                var hasData = true;
                for (var b = 0; b < 14; b++)
                {
                    var raw = scene.Raw(b, x, y);
                    hasData &= float.IsFinite(raw) && raw != 0f;
                    pixelBands[b] = raw * BandProfile.S2L2aDn.Scale[b];
                }

                var actual = result[(y * width) + x];
                if (!hasData)
                {
                    Assert.True(float.IsNaN(actual), $"nodata pixel ({x}, {y}) got {actual}");
                    continue;
                }

                worst = Math.Max(worst, Math.Abs(actual - Model(pixelBands, 0, 1)));
            }
        }

        Assert.True(worst < 1e-5, $"max abs diff to the whole-scene model: {worst:E3}");
    }

    [Fact]
    public void Accumulate_TileRowOutOfOrder_Throws()
    {
        var grid = new TileGrid(300, 300);
        var blender = new TileBlender(grid);

        var error = Assert.Throws<InvalidOperationException>(() => blender.Accumulate(grid[0, 1], new float[Pixels], Full()));

        Assert.Contains("tile rows must come in order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteRow_PastTheLastRow_Throws()
    {
        var grid = new TileGrid(100, 100);
        var blender = new TileBlender(grid);
        blender.CompleteRow(new float[100 * 100]);

        Assert.Throws<InvalidOperationException>(() => blender.CompleteRow(new float[100 * 100]));
    }

    private static float Model(ReadOnlySpan<float> bands, int pixel, int stride)
    {
        var z = (2 * bands[(7 * stride) + pixel]) - bands[(3 * stride) + pixel] - (0.5 * bands[(13 * stride) + pixel]);
        return (float)(1 / (1 + Math.Exp(-z)));
    }

    private static float[] Strip(TileCutterTests.TestScene scene, int start, int end)
    {
        var rows = end - start;
        var strip = new float[14 * rows * scene.Width];
        for (var b = 0; b < 14; b++)
        {
            scene.Values.AsSpan((b * scene.Width * scene.Height) + (start * scene.Width), rows * scene.Width)
                .CopyTo(strip.AsSpan(b * rows * scene.Width));
        }

        return strip;
    }

    private static float[] BlendAll(TileGrid grid, Func<TileWindow, float[]> probability, Func<TileWindow, byte[]> mask)
    {
        var blender = new TileBlender(grid);
        var scene = new float[grid.Width * grid.Height];
        var rows = new float[TileBlender.MaxRowsPerCompletion * grid.Width];
        for (var row = 0; row < grid.Rows; row++)
        {
            foreach (var tile in grid.TilesInRow(row))
            {
                blender.Accumulate(tile, probability(tile), mask(tile));
            }

            var (start, end) = blender.CompleteRow(rows);
            rows.AsSpan(0, (end - start) * grid.Width).CopyTo(scene.AsSpan(start * grid.Width));
        }

        return scene;
    }

    private static float[] RandomProbabilities(Random random)
    {
        var p = new float[Pixels];
        for (var i = 0; i < Pixels; i++)
        {
            p[i] = random.NextSingle();
        }

        return p;
    }

    private static float[] Filled(float value, Func<int, int, bool>? garbageWhere)
    {
        var p = new float[Pixels];
        for (var i = 0; i < Pixels; i++)
        {
            p[i] = garbageWhere?.Invoke(i % Size, i / Size) == true ? (i % 2 == 0 ? float.NaN : 1f) : value;
        }

        return p;
    }

    private static byte[] Full() => Mask((_, _) => true);

    private static byte[] Mask(Func<int, int, bool> valid)
    {
        var mask = new byte[Pixels];
        for (var i = 0; i < Pixels; i++)
        {
            mask[i] = valid(i % Size, i / Size) ? (byte)1 : (byte)0;
        }

        return mask;
    }
}
