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

    [Fact]
    public async Task Map_DetectionFilters_ComeFromTheManifest_ElseTheDefaults_AndOptionsOverrideBoth()
    {
        // Band 4 is passed through: a 40 x 40 px square at 0.9 and another at 0.6 (both above the 0.5 threshold).
        var scene = new SceneBuilder { Width = 256, Height = 256 }.Write(_temp.File("two.tif"), (b, x, y) =>
            b != 3 ? 1f : x is >= 20 and < 60 && y is >= 20 and < 60 ? 0.9f : x is >= 150 and < 190 && y is >= 150 and < 190 ? 0.6f : 0.1f);
        var plain = await WriteModelAsync(TinyOnnxModels.Passthrough(3));
        var folder = TinyOnnxModels.WriteVersionFolder(_temp.File("models"), "filters-v1", TinyOnnxModels.Passthrough(3));
        var manifestPath = Path.Combine(folder, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        manifest["min_area_m2"] = 200;
        manifest["min_mean_probability"] = 0.5;
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());

        var defaults = await MapAndCountAsync("defaults", plain);
        var fromManifest = await MapAndCountAsync("manifest", folder);
        var overridden = await MapAndCountAsync("override", folder, "--min-mean-probability", "0.8", "--min-area", "1000");

        Assert.Equal((1, 800.0, 0.75), defaults);       // built-in: the 0.6 square is not a detection
        Assert.Equal((2, 200.0, 0.5), fromManifest);    // the manifest's recommendation
        Assert.Equal((1, 1000.0, 0.8), overridden);     // explicit options win
    }

    private async Task<(int Polygons, double MinArea, double MinMean)> MapAndCountAsync(string name, string model, params string[] extra)
    {
        var map = await CliProcess.RunAsync(["map", _temp.File("two.tif"), "--out", _temp.File(name), "--model", model, "--threshold", "0.5", .. extra]);
        Assert.True(map.ExitCode == 0, map.Stderr);
        using var run = JsonDocument.Parse(await File.ReadAllTextAsync(_temp.File($"{name}/run.json")));
        var settings = run.RootElement.GetProperty("settings");
        return (
            run.RootElement.GetProperty("counts").GetProperty("polygons").GetInt32(),
            settings.GetProperty("min_area_m2").GetDouble(),
            settings.GetProperty("min_mean_probability").GetDouble());
    }

    private async Task<string> WriteModelAsync(byte[] model)
    {
        var path = _temp.File($"model-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(path, model);
        return path;
    }
}
