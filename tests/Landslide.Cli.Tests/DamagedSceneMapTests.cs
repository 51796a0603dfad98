using System.Security.Cryptography;
using Landslide.TestSupport;

namespace Landslide.Cli.Tests;

/// <summary>`landslide map` on a scene whose header is valid but whose pixel data is damaged or cut short.</summary>
public sealed class DamagedSceneMapTests : IDisposable
{
    private readonly TempDirectory _temp = new("cli-damaged");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("start")]
    [InlineData("middle")]
    [InlineData("fraction")]
    [InlineData("end")]
    public async Task Map_DamagedPixelData_Exits2_WithUnreadableData_NamingTheScene(string where)
    {
        // 300 x 600 px in 256 px tiles: 2 x 3 tiles, so damage can sit in the first, a middle or the last tile.
        var scene = new SceneBuilder { Width = 300, Height = 600 }.Write(
            _temp.File($"damaged-{where}.tif"), (b, x, y) => 0.1f + (((x * 7) + (y * 13)) % 97 * 0.001f));
        switch (where)
        {
            case "start":
                DamagedTiff.ScrambleTile(scene, 0);
                break;
            case "middle":
                DamagedTiff.ScrambleTile(scene, DamagedTiff.Tiles(scene).Count / 2);
                break;
            case "fraction":
                DamagedTiff.Truncate(scene, 0.6);
                break;
            default:
                DamagedTiff.TruncateInsideLastTile(scene);
                break;
        }

        var before = SHA256.HashData(await File.ReadAllBytesAsync(scene));
        var model = _temp.File("model.onnx");
        await File.WriteAllBytesAsync(model, TinyOnnxModels.Passthrough(3));

        var map = await CliProcess.RunAsync("map", scene, "--out", _temp.File("out"), "--model", model);

        Assert.True(map.ExitCode == 2, $"exit {map.ExitCode}: {map.Stderr}");
        Assert.Contains("scene rejected (UnreadableData)", map.Stderr, StringComparison.Ordinal);
        Assert.Contains($"'{scene}'", map.Stderr, StringComparison.Ordinal);
        Assert.Contains("damaged or cut short", map.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("at Landslide.", map.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(scene)));
        Assert.False(File.Exists(_temp.File("out/mask.tif")), "a rejected scene must leave no mask that looks like a result");
        Assert.False(File.Exists(_temp.File("out/run.json")), "a rejected scene must leave no run.json");
    }
}
