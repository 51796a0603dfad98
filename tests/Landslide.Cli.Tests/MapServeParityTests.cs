using System.Text.Json;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;

namespace Landslide.Cli.Tests;

/// <summary>
/// One scene, two paths: `landslide map` on this machine and `landslide serve` (blob trigger, chunk queue, finalizer on
/// Azurite), both with default settings and the embedded model, must give the same run, pixel for pixel.
/// </summary>
public sealed class MapServeParityTests : IAsyncLifetime
{
    private static readonly string[] CountNames = ["tiles", "valid_pixels", "landslide_pixels", "polygons"];
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("parity");

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [RealDataFact]
    public async Task MapAndServe_DefaultSettings_GiveIdenticalMaskProbabilityPolygonsAndCounts()
    {
        // A column of real Landslide4Sense patches, 128 x 2304 px: taller than the default chunk (2048 px), so serve
        // splits it into two chunks and the finalizer joins them, while map streams it in one pass.
        IReadOnlyList<int> ids = [.. SharedData.TrainIds, .. SharedData.TrainIds.Take(3)];
        var mosaic = RealPatches.WriteMosaic(_temp.File("mosaic"), ids, columns: 1);
        File.Copy(mosaic, _temp.File("scene.tif"));

        var map = await CliProcess.RunInAsync(_temp.Path, null, "map", "scene.tif", "--out", "mapped");
        Assert.True(map.ExitCode == 0, map.Stderr);

        var environment = new Dictionary<string, string> { ["LANDSLIDE_Serve__Storage"] = _azurite.ConnectionString };
        await using (var serve = await ServeProcess.StartAsync(_temp.Path, environment, ["serve"]))
        {
            var dropped = await CliProcess.RunInAsync(_temp.Path, environment, "serve", "drop", "scene.tif");
            Assert.True(dropped.ExitCode == 0, dropped.Stderr);
            var status = await FinalStatusAsync(environment, "scene", serve);
            Assert.True(status.GetProperty("status").GetString() == "completed", status.GetRawText());
            Assert.True(status.GetProperty("chunk_count").GetInt32() > 1, $"the scene should take more than one chunk: {status.GetRawText()}");
            var results = await CliProcess.RunInAsync(_temp.Path, environment, "serve", "results", "scene", "--out", "served");
            Assert.True(results.ExitCode == 0, results.Stderr);
            Assert.Equal(130, await serve.StopAsync());
        }

        AssertSamePixels("mask.tif");
        AssertSamePixels("probability.tif");
        AssertSamePolygons();
        AssertSameCounts();
    }

    private void AssertSamePixels(string file)
    {
        var (mappedInfo, mapped) = ReadPixels(_temp.File($"mapped/{file}"));
        var (servedInfo, served) = ReadPixels(_temp.File($"served/{file}"));
        Assert.Equal((mappedInfo.Width, mappedInfo.Height, mappedInfo.BandCount), (servedInfo.Width, servedInfo.Height, servedInfo.BandCount));
        var differing = 0;
        var first = -1;
        for (var i = 0; i < mapped.Length; i++)
        {
            // Bitwise: NaN nodata equals NaN nodata, and no tolerance hides a drift between the paths.
            if (BitConverter.SingleToInt32Bits(mapped[i]) != BitConverter.SingleToInt32Bits(served[i]))
            {
                differing++;
                first = first < 0 ? i : first;
            }
        }

        Assert.True(differing == 0, $"{file}: {differing} of {mapped.Length} pixels differ, first at {first}: map {(first < 0 ? 0 : mapped[first])}, serve {(first < 0 ? 0 : served[first])}");
    }

    private static (Core.Scenes.SceneInfo Info, float[] Values) ReadPixels(string path)
    {
        using var raster = RasterScene.Open(path);
        var values = new float[(long)raster.Info.Width * raster.Info.Height * raster.Info.BandCount];
        raster.ReadWindow(0, 0, raster.Info.Width, raster.Info.Height, values);
        return (raster.Info, values);
    }

    private void AssertSamePolygons()
    {
        var mapped = Features(_temp.File("mapped/landslides.geojson"));
        var served = Features(_temp.File("served/landslides.geojson"));
        Assert.True(mapped.Count > 0, "the embedded model found no landslide on the mosaic: the comparison would prove little");
        Assert.Equal(mapped, served);
    }

    private static List<string> Features(string path)
    {
        using var geojson = JsonDocument.Parse(File.ReadAllText(path));
        // Properties and geometry as written (areas, pixel counts, mean probabilities, rings), in file order.
        return [.. geojson.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetRawText() + f.GetProperty("geometry").GetRawText())];
    }

    private void AssertSameCounts()
    {
        using var mapped = JsonDocument.Parse(File.ReadAllText(_temp.File("mapped/run.json")));
        using var served = JsonDocument.Parse(File.ReadAllText(_temp.File("served/run.json")));
        var mappedCounts = mapped.RootElement.GetProperty("counts");
        var servedCounts = served.RootElement.GetProperty("counts");
        Assert.Equal(mappedCounts.GetRawText(), servedCounts.GetRawText());
        foreach (var name in CountNames)
        {
            Assert.Equal(mappedCounts.GetProperty(name).GetInt64(), servedCounts.GetProperty(name).GetInt64());
        }
    }

    private async Task<JsonElement> FinalStatusAsync(Dictionary<string, string> environment, string scene, ServeProcess serve)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var status = await CliProcess.RunInAsync(_temp.Path, environment, "serve", "status", scene);
            if (status.ExitCode == 0)
            {
                var view = JsonDocument.Parse(status.Stdout).RootElement.Clone();
                if (view.GetProperty("status").GetString() is "completed" or "rejected" or "failed")
                {
                    return view;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"scene {scene} not final: {status.Stdout}{status.Stderr}\nserve:\n{serve.Output}");
            await Task.Delay(1000);
        }
    }
}
