using Landslide.Core.Scenes;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;

namespace Landslide.Raster.Tests.Scenes;

public sealed class RasterSceneTests : IDisposable
{
    private readonly TempDirectory _temp = new("raster-scene");

    public void Dispose() => _temp.Dispose();

    private static float Value(int band, int x, int y) => (band * 10_000) + (y * 100) + x;

    [Fact]
    public void Open_ReadsHeaderOfAWrittenScene()
    {
        var path = new SceneBuilder { Width = 70, Height = 50 }.Write(_temp.File("scene.tif"), Value);

        using var scene = RasterScene.Open(path);

        var info = scene.Info;
        Assert.Equal((70, 50, 14), (info.Width, info.Height, info.BandCount));
        Assert.All(info.BandTypes, t => Assert.Equal(BandDataType.Float32, t));
        Assert.Equal(new GeoTransform(500_000, 10, 0, 3_100_000, 0, -10), info.GeoTransform);
        Assert.Equal(32645, info.Epsg);
        Assert.True(info.IsProjected);
        Assert.Contains("UTM zone 45N", info.CrsWkt, StringComparison.Ordinal);
        Assert.Equal(-9999, info.NoData);
    }

    [Fact]
    public void ReadWindow_ReturnsTheWrittenValues_BandSequential()
    {
        var path = new SceneBuilder { Width = 300, Height = 280 }.Write(_temp.File("scene.tif"), Value);
        using var scene = RasterScene.Open(path);
        const int X = 250, Y = 260, W = 50, H = 20;
        var buffer = new float[14 * W * H];

        scene.ReadWindow(X, Y, W, H, buffer);

        for (var b = 0; b < 14; b++)
        {
            for (var r = 0; r < H; r++)
            {
                for (var c = 0; c < W; c++)
                {
                    Assert.Equal(Value(b, X + c, Y + r), buffer[(b * W * H) + (r * W) + c]);
                }
            }
        }
    }

    [Fact]
    public void ReadWindow_WithBandList_ReadsThoseBandsInThatOrder()
    {
        var path = new SceneBuilder().Write(_temp.File("scene.tif"), Value);
        using var scene = RasterScene.Open(path);
        var buffer = new float[2 * 4 * 3];

        scene.ReadWindow(10, 20, 4, 3, [8, 1], buffer);

        Assert.Equal(Value(7, 10, 20), buffer[0]);
        Assert.Equal(Value(0, 13, 22), buffer[^1]);
    }

    [Theory]
    [InlineData(-1, 0, 10, 10)]
    [InlineData(60, 0, 10, 10)]
    [InlineData(0, 60, 10, 10)]
    [InlineData(0, 0, 0, 10)]
    public void ReadWindow_Throws_WhenTheWindowLeavesTheRaster(int x, int y, int w, int h)
    {
        var path = new SceneBuilder().Write(_temp.File("scene.tif"), Value);
        using var scene = RasterScene.Open(path);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => scene.ReadWindow(x, y, w, h, new float[14 * 100]));
        Assert.Contains("not inside the 64 x 64 raster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadWindow_Throws_WhenTheBufferIsTooSmall()
    {
        var path = new SceneBuilder().Write(_temp.File("scene.tif"), Value);
        using var scene = RasterScene.Open(path);

        Assert.Throws<ArgumentException>(() => scene.ReadWindow(0, 0, 8, 8, new float[(14 * 64) - 1]));
    }

    [Fact]
    public void OpenBytes_ReadsTheSameAsTheFile()
    {
        var path = new SceneBuilder().Write(_temp.File("scene.tif"), Value);
        var fromFile = new float[14 * 64 * 64];
        var fromBytes = new float[14 * 64 * 64];
        using (var file = RasterScene.Open(path))
        {
            file.ReadWindow(0, 0, 64, 64, fromFile);
        }

        using var memory = RasterScene.Open(File.ReadAllBytes(path), "upload.tif");
        memory.ReadWindow(0, 0, 64, 64, fromBytes);

        Assert.Equal("upload.tif", memory.Source);
        Assert.Equal(32645, memory.Info.Epsg);
        Assert.Equal(fromFile, fromBytes);
    }

    [Fact]
    public void Open_RejectsATextFileNamedTif()
    {
        var path = _temp.File("notes.tif");
        File.WriteAllText(path, "these are field notes, not pixels\n");

        var error = Assert.Throws<SceneRejectedException>(() => RasterScene.Open(path));

        Assert.Equal(SceneError.NotARaster, error.Code);
        Assert.Contains("notes.tif' is not a raster GDAL can read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RejectsAnEmptyFile()
    {
        var path = _temp.File("empty.tif");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<SceneRejectedException>(() => RasterScene.Open(path));

        Assert.Equal(SceneError.NotARaster, error.Code);
        Assert.Contains("is empty (0 bytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenBytes_RejectsGarbage()
    {
        var error = Assert.Throws<SceneRejectedException>(() => RasterScene.Open("II*\0garbage"u8, "broken.tif"));

        Assert.Equal(SceneError.NotARaster, error.Code);
        Assert.Contains("broken.tif", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ThrowsFileNotFound_ForAMissingPath()
        => Assert.Throws<FileNotFoundException>(() => RasterScene.Open(_temp.File("missing.tif")));

    [Fact]
    public void ThrowIfAllNodata_RejectsAnAllNodataScene()
    {
        var path = new SceneBuilder { Width = 40, Height = 300 }.Write(_temp.File("empty.tif"), (_, _, _) => -9999);
        using var scene = RasterScene.Open(path);

        var error = Assert.Throws<SceneRejectedException>(() => scene.ThrowIfAllNodata());

        Assert.Equal(SceneError.AllNodata, error.Code);
        Assert.Contains("is nodata (-9999) or NaN in all 14 bands", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfAllNodata_RejectsANaNOnlySceneWithoutDeclaredNodata()
    {
        var path = new SceneBuilder { NoData = null }.Write(_temp.File("nan.tif"), (_, _, _) => float.NaN);
        using var scene = RasterScene.Open(path);

        Assert.Equal(SceneError.AllNodata, Assert.Throws<SceneRejectedException>(() => scene.ThrowIfAllNodata()).Code);
    }

    [Fact]
    public void ThrowIfAllNodata_AcceptsASceneWithOneValidPixel_InTheLastBandAndRow()
    {
        var path = new SceneBuilder { Width = 40, Height = 300 }
            .Write(_temp.File("one.tif"), (b, x, y) => b == 13 && y == 299 && x == 39 ? 1.5f : -9999);
        using var scene = RasterScene.Open(path);

        scene.ThrowIfAllNodata();
    }

    [Fact]
    public void ThrowIfAllNodata_UsesTheGivenNodata_OverTheFiles()
    {
        var path = new SceneBuilder { NoData = null }.Write(_temp.File("zeros.tif"), (_, _, _) => 0);
        using var scene = RasterScene.Open(path);

        scene.ThrowIfAllNodata();
        Assert.Equal(SceneError.AllNodata, Assert.Throws<SceneRejectedException>(() => scene.ThrowIfAllNodata(noData: 0)).Code);
    }
}
