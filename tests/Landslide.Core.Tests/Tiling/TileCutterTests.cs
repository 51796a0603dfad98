using Landslide.Core.Features;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;

namespace Landslide.Core.Tests.Tiling;

public sealed class TileCutterTests
{
    private const int Size = ModelContract.TileSize;
    private const int Pixels = ModelContract.PixelsPerTile;
    private const int Bands = ModelContract.InputBands;

    [Fact]
    public void Cut_InteriorTile_AppliesTheBandProfileScale()
    {
        var scene = Scene(300, 260, seed: 1);
        var cutter = new TileCutter(300, 260, BandProfile.S2L2aDn);
        var grid = new TileGrid(300, 260);
        var bands = new float[ModelContract.BandValuesPerTile];
        var mask = new byte[Pixels];

        var valid = cutter.Cut(scene.Values, 0, 260, grid[1, 1], bands, mask);

        Assert.Equal(Pixels, valid);
        Assert.All(mask, m => Assert.Equal(1, m));
        var tile = grid[1, 1];
        for (var b = 0; b < Bands; b++)
        {
            var expected = scene.Raw(b, tile.X + 17, tile.Y + 5) / BandProfile.L4sMeans[b];
            Assert.Equal(expected, bands[(b * Pixels) + (5 * Size) + 17], expected * 1e-6f);
        }
    }

    [Fact]
    public void Cut_TilePastTheSceneEdge_ReflectsAndMarksPaddingInvalid()
    {
        // 200 x 150 with overlap 32: the second tile column starts at x = 96 and runs to 223, past the edge at 200.
        var scene = Scene(200, 150, seed: 2);
        var cutter = new TileCutter(200, 150, BandProfile.L4s);
        var tile = new TileGrid(200, 150)[1, 1];
        var bands = new float[ModelContract.BandValuesPerTile];
        var mask = new byte[Pixels];

        var valid = cutter.Cut(scene.Values, 0, 150, tile, bands, mask);

        Assert.Equal((200 - 96) * (150 - 96), valid);
        Assert.Equal(1, mask[(53 * Size) + 103]);  // scene (199, 149): last real pixel
        Assert.Equal(0, mask[(53 * Size) + 104]);  // scene x = 200: padding
        Assert.Equal(0, mask[(54 * Size) + 103]);  // scene y = 150: padding

        // Reflect-101: scene x = 200 mirrors x = 198, y = 151 mirrors y = 147.
        Assert.Equal(scene.Raw(4, 198, 120), bands[(4 * Pixels) + (24 * Size) + 104]);
        Assert.Equal(scene.Raw(4, 150, 147), bands[(4 * Pixels) + (55 * Size) + 54]);
    }

    [Fact]
    public void Cut_NodataAndNonFiniteValues_AreInvalidAndReplacedByTheBandMean()
    {
        var scene = Scene(128, 128, seed: 3);
        scene.Set(2, 10, 20, 0f);               // nodata of s2-l2a-dn
        scene.Set(5, 11, 20, float.NaN);
        scene.Set(13, 12, 20, float.PositiveInfinity);
        var cutter = new TileCutter(128, 128, BandProfile.S2L2aDn);
        var bands = new float[ModelContract.BandValuesPerTile];
        var mask = new byte[Pixels];

        var valid = cutter.Cut(scene.Values, 0, 128, new TileGrid(128, 128)[0, 0], bands, mask);

        Assert.Equal(Pixels - 3, valid);
        Assert.Equal(0, mask[(20 * Size) + 10]);
        Assert.Equal(0, mask[(20 * Size) + 11]);
        Assert.Equal(0, mask[(20 * Size) + 12]);
        Assert.All(bands, v => Assert.True(float.IsFinite(v)));
        var mean = 0.0;
        for (var i = 0; i < Pixels; i++)
        {
            mean += mask[i] == 1 ? bands[(5 * Pixels) + i] : 0;
        }

        Assert.Equal(mean / valid, bands[(5 * Pixels) + (20 * Size) + 11], 1e-5);

        var features = new float[ModelContract.FeatureValuesPerTile];
        FeatureExtractor.Compute(bands, features);
        Assert.All(features, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Cut_ExplicitNodataOverridesTheProfile()
    {
        var scene = Scene(128, 128, seed: 4);
        scene.Set(0, 0, 0, -9999f);
        var cutter = new TileCutter(128, 128, BandProfile.L4s, noData: -9999);
        var mask = new byte[Pixels];

        var valid = cutter.Cut(scene.Values, 0, 128, new TileWindow(0, 0, 0, 0), new float[ModelContract.BandValuesPerTile], mask);

        Assert.Equal(Pixels - 1, valid);
        Assert.Equal(0, mask[0]);
    }

    [Fact]
    public void Cut_StripMissingTheTilesRows_SaysWhichRowsItNeeds()
    {
        var scene = Scene(300, 100, seed: 5);
        var cutter = new TileCutter(300, 300, BandProfile.L4s);

        var error = Assert.Throws<ArgumentException>(
            () => cutter.Cut(scene.Values, 0, 100, new TileWindow(0, 0, 0, 0), new float[ModelContract.BandValuesPerTile], new byte[Pixels]));

        Assert.Contains("needs [0, 128)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceRows_IncludeReflectedRowsPastTheBottom()
    {
        var cutter = new TileCutter(500, 200, BandProfile.L4s);

        Assert.Equal((0, 128), cutter.SourceRows(0));
        Assert.Equal((96, 200), cutter.SourceRows(96)); // rows 200..223 mirror 198..175, inside [96, 200)
        Assert.Equal((75, 150), new TileCutter(500, 150, BandProfile.L4s).SourceRows(96)); // 223 mirrors 75
        Assert.Equal((0, 10), new TileCutter(10, 10, BandProfile.L4s).SourceRows(0));
    }

    [Fact]
    public void Cut_SceneSmallerThanATile_ReflectsRepeatedly()
    {
        var scene = Scene(5, 3, seed: 6);
        var cutter = new TileCutter(5, 3, BandProfile.L4s);
        var bands = new float[ModelContract.BandValuesPerTile];
        var mask = new byte[Pixels];

        var valid = cutter.Cut(scene.Values, 0, 3, new TileWindow(0, 0, 0, 0), bands, mask);

        Assert.Equal(15, valid);
        Assert.All(bands, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(scene.Raw(0, 3, 1), bands[(1 * Size) + 5]); // x = 5 -> 3, y = 1
        Assert.Equal(scene.Raw(0, 2, 0), bands[(4 * Size) + 6]); // x = 6 -> 2, y = 4 -> 0
    }

    internal static TestScene Scene(int width, int height, int seed) => new(width, height, seed);

    /// <summary>A raw scene, band-sequential, values like Sentinel-2 digital numbers.</summary>
    internal sealed class TestScene
    {
        public TestScene(int width, int height, int seed)
        {
            Width = width;
            Height = height;
            Values = new float[Bands * width * height];
            var random = new Random(seed);
            for (var i = 0; i < Values.Length; i++)
            {
                Values[i] = 100 + (float)(random.NextDouble() * 3000);
            }
        }

        public int Width { get; }

        public int Height { get; }

        public float[] Values { get; }

        public float Raw(int band, int x, int y) => Values[(band * Width * Height) + (y * Width) + x];

        public void Set(int band, int x, int y, float value) => Values[(band * Width * Height) + (y * Width) + x] = value;
    }
}
