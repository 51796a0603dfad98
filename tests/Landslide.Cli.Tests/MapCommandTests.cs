using System.Text.Json;
using Landslide.TestSupport;

namespace Landslide.Cli.Tests;

public sealed class MapCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("cli");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SampleThenMap_Exits0_AndWritesEveryOutput()
    {
        var sample = await CliProcess.RunAsync("sample", "--out", _temp.File("sample"), "--size", "300", "--seed", "3");
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        var model = await WriteModelAsync(TinyOnnxModels.Passthrough(3));

        var map = await CliProcess.RunAsync("map", _temp.File("sample/scene.tif"), "--out", _temp.File("out"), "--model", model, "--threshold", "0.99");

        Assert.True(map.ExitCode == 0, map.Stderr);
        foreach (var file in new[] { "mask.tif", "probability.tif", "landslides.geojson", "quicklook.png", "run.json", "item.json" })
        {
            Assert.True(File.Exists(_temp.File($"out/{file}")), $"{file} is missing");
        }

        using var run = JsonDocument.Parse(await File.ReadAllTextAsync(_temp.File("out/run.json")));
        Assert.Equal(300L * 300, run.RootElement.GetProperty("counts").GetProperty("valid_pixels").GetInt64());
        Assert.Contains("landslide polygons", map.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_ThreeBandScene_Exits2_NamingTheProblem()
    {
        var scene = new SceneBuilder { BandCount = 3 }.Write(_temp.File("rgb.tif"), (b, x, y) => 1f);
        var model = await WriteModelAsync(TinyOnnxModels.Passthrough(3));

        var map = await CliProcess.RunAsync("map", scene, "--out", _temp.File("out"), "--model", model);

        Assert.Equal(2, map.ExitCode);
        Assert.Contains("WrongBandCount", map.Stderr, StringComparison.Ordinal);
        Assert.Contains("expected 14 bands", map.Stderr, StringComparison.Ordinal);
        Assert.Contains("found 3", map.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_MissingScene_Exits2()
    {
        var map = await CliProcess.RunAsync("map", _temp.File("nope.tif"), "--out", _temp.File("out"));

        Assert.Equal(2, map.ExitCode);
        Assert.Contains("scene not found", map.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_TextFileAsScene_Exits2()
    {
        var path = _temp.File("notes.tif");
        await File.WriteAllTextAsync(path, "not a raster");
        var model = await WriteModelAsync(TinyOnnxModels.Passthrough(3));

        var map = await CliProcess.RunAsync("map", path, "--out", _temp.File("out"), "--model", model);

        Assert.Equal(2, map.ExitCode);
        Assert.Contains("NotARaster", map.Stderr, StringComparison.Ordinal);
        Assert.Equal("not a raster", await File.ReadAllTextAsync(path));
    }

    [Theory]
    [InlineData("corrupt-model", "model refused")]
    [InlineData("--overlap=100", "Overlap")]
    [InlineData("--profile=landsat", "unknown band profile 'landsat'")]
    public async Task Map_BadModelOrOption_Exits2_NamingTheProblem(string bad, string expected)
    {
        var scene = new SceneBuilder().Write(_temp.File("scene.tif"), (b, x, y) => 1f);
        var model = await WriteModelAsync(bad == "corrupt-model" ? [1, 2, 3, 4] : TinyOnnxModels.Passthrough(3));
        string[] extra = bad.StartsWith("--", StringComparison.Ordinal) ? bad.Split('=') : [];

        var map = await CliProcess.RunAsync(["map", scene, "--out", _temp.File("out"), "--model", model, .. extra]);

        Assert.Equal(2, map.ExitCode);
        Assert.Contains(expected, map.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("l4s", 1200f, "looks like Sentinel-2 digital numbers")]
    [InlineData("s2-l2a-dn", 0.9f, "looks like scaled values")]
    public async Task Map_ValuesThatDoNotFitTheProfile_Exit2_ProfileMismatch(string profile, float value, string expected)
    {
        var scene = new SceneBuilder { Width = 96, Height = 96 }.Write(_temp.File("scene.tif"), (b, x, y) => value + (x * 0.001f));
        var model = await WriteModelAsync(TinyOnnxModels.Passthrough(3));

        var map = await CliProcess.RunAsync("map", scene, "--out", _temp.File("out"), "--model", model, "--profile", profile);

        Assert.Equal(2, map.ExitCode);
        Assert.Contains("ProfileMismatch", map.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, map.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("out/mask.tif")), "a mismatched scene must not be mapped");
    }

    private async Task<string> WriteModelAsync(byte[] model)
    {
        var path = _temp.File($"model-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(path, model);
        return path;
    }
}
