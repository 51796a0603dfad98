using Landslide.Core.Scenes;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;

namespace Landslide.Raster.Tests.Scenes;

/// <summary>A valid header over damaged or cut-short pixel data is bad input (UnreadableData), named as the caller named it.</summary>
public sealed class DamagedSceneTests : IDisposable
{
    private readonly TempDirectory _temp = new("raster-damaged");

    public void Dispose() => _temp.Dispose();

    /// <summary>300 x 600 px: 2 x 3 tiles of 256 px, so there is a first, a middle and a last tile.</summary>
    private string WriteScene(string name) =>
        new SceneBuilder { Width = 300, Height = 600 }.Write(_temp.File(name), (b, x, y) => (b * 0.01f) + (((x * 7) + (y * 13)) % 97 * 0.001f));

    private static void Damage(string path, string where)
    {
        switch (where)
        {
            case "start":
                DamagedTiff.ScrambleTile(path, 0);
                break;
            case "middle":
                DamagedTiff.ScrambleTile(path, DamagedTiff.Tiles(path).Count / 2);
                break;
            case "fraction":
                DamagedTiff.Truncate(path, 0.6);
                break;
            default:
                DamagedTiff.TruncateInsideLastTile(path);
                break;
        }
    }

    [Theory]
    [InlineData("start")]
    [InlineData("middle")]
    [InlineData("fraction")]
    [InlineData("end")]
    public void ReadingEveryRow_OfADamagedScene_IsRejectedAsUnreadableData_NamingTheScene(string where)
    {
        var path = WriteScene($"{where}.tif");
        Damage(path, where);

        using var scene = RasterScene.Open(path);
        Assert.Equal(300, scene.Info.Width);
        var rows = new float[14 * 300 * 100];
        var error = Assert.Throws<SceneRejectedException>(() =>
        {
            for (var y = 0; y < 600; y += 100)
            {
                scene.ReadWindow(0, y, 300, 100, rows);
            }
        });

        Assert.Equal(SceneError.UnreadableData, error.Code);
        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("damaged or cut short", error.Message, StringComparison.Ordinal);

        // GDAL's first complaint is the cause, not the "IReadBlock failed" that follows it.
        Assert.Contains(where is "start" or "middle" ? "Decoding error" : "Read error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UndamagedScene_ReadsEveryRow()
    {
        var path = WriteScene("good.tif");
        using var scene = RasterScene.Open(path);
        var rows = new float[14 * 300 * 100];
        for (var y = 0; y < 600; y += 100)
        {
            scene.ReadWindow(0, y, 300, 100, rows);
        }

        Assert.Equal(0.01f + (((7 * 5) + (13 * 500)) % 97 * 0.001f), rows[(1 * 300 * 100) + (0 * 300) + 5], 5);
    }

    [Fact]
    public void DamagedTempFile_IsNamedByItsDisplayName_NeverByTheTempPath()
    {
        var path = WriteScene("landslide-scene-0123.tif");
        DamagedTiff.TruncateInsideLastTile(path);

        using var scene = RasterScene.Open(path, "kerala-2024.tif");
        var rows = new float[14 * 300 * 600];
        var error = Assert.Throws<SceneRejectedException>(() => scene.ReadWindow(0, 0, 300, 600, rows));

        Assert.Equal(SceneError.UnreadableData, error.Code);
        Assert.Contains("'kerala-2024.tif'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_temp.Path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("landslide-scene-0123", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedSceneInMemory_IsRejectedToo()
    {
        var path = WriteScene("memory.tif");
        DamagedTiff.ScrambleTile(path, 0);

        using var scene = RasterScene.Open(File.ReadAllBytes(path), "upload.tif");
        var rows = new float[14 * 300 * 10];
        var error = Assert.Throws<SceneRejectedException>(() => scene.ReadWindow(0, 0, 300, 10, rows));

        Assert.Equal(SceneError.UnreadableData, error.Code);
        Assert.Contains("'upload.tif'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/vsimem/", error.Message, StringComparison.Ordinal);
    }
}
