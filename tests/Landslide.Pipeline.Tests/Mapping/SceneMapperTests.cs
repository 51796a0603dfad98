using System.Security.Cryptography;
using System.Text.Json;
using Landslide.Core.Scenes;
using Landslide.Core.Tiling;
using Landslide.Inference;
using Landslide.Pipeline.Mapping;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Pipeline.Tests.Mapping;

public sealed class SceneMapperTests : IDisposable
{
    private const int Red = 3;
    private readonly TempDirectory _temp = new("mapper");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Map_ProbabilityEqualsAPerPixelModel_OnTheScenesGrid()
    {
        // Band 4 carries a smooth field; a model that passes it through must come back unchanged after tiling,
        // padding and blending, and nodata must stay nodata.
        var builder = new SceneBuilder { Width = 700, Height = 600 };
        var scenePath = builder.Write(_temp.File("scene.tif"), (b, x, y) =>
            IsHole(x, y) ? -9999f : b == Red ? Field(x, y) : 1f);

        var result = await MapAsync(scenePath, TinyOnnxModels.Passthrough(Red), new MapOptions { Threshold = 0.5 });

        var probability = ReadBand(Path.Combine(result.OutputDirectory, OutputNames.Probability), builder.Width, builder.Height);
        var mask = ReadBand(Path.Combine(result.OutputDirectory, OutputNames.Mask), builder.Width, builder.Height);
        var worst = 0.0;
        var where = (X: 0, Y: 0);
        for (var y = 0; y < builder.Height; y++)
        {
            for (var x = 0; x < builder.Width; x++)
            {
                var i = (y * builder.Width) + x;
                if (IsHole(x, y))
                {
                    Assert.True(float.IsNaN(probability[i]), $"nodata pixel ({x}, {y}) got probability {probability[i]}");
                    Assert.Equal(255f, mask[i]);
                    continue;
                }

                if (Math.Abs(probability[i] - Field(x, y)) > worst)
                {
                    worst = Math.Abs(probability[i] - Field(x, y));
                    where = (x, y);
                }

                Assert.Equal(probability[i] >= 0.5f ? 1f : 0f, mask[i]);
            }
        }

        Assert.True(worst < 1e-6, $"largest difference from the per-pixel model: {worst} at {where}, expected {Field(where.X, where.Y)}");
    }

    [Fact]
    public async Task Map_WritesCogsWithTheScenesGeotransformAndCrs()
    {
        var builder = new SceneBuilder { Width = 700, Height = 600 };
        var scenePath = builder.Write(_temp.File("scene.tif"), (b, x, y) => b == Red ? Field(x, y) : 1f);

        var result = await MapAsync(scenePath, TinyOnnxModels.Passthrough(Red), new MapOptions());

        using var sceneInfo = GdalCli.GdalInfoJson(scenePath);
        foreach (var output in new[] { OutputNames.Mask, OutputNames.Probability })
        {
            using var info = GdalCli.GdalInfoJson(Path.Combine(result.OutputDirectory, output));
            var root = info.RootElement;
            Assert.Equal(
                sceneInfo.RootElement.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()),
                root.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(
                sceneInfo.RootElement.GetProperty("coordinateSystem").GetProperty("wkt").GetString(),
                root.GetProperty("coordinateSystem").GetProperty("wkt").GetString());
            Assert.Equal("COG", root.GetProperty("metadata").GetProperty("IMAGE_STRUCTURE").GetProperty("LAYOUT").GetString());
            Assert.NotEmpty(root.GetProperty("bands")[0].GetProperty("overviews").EnumerateArray());
        }
    }

    [Fact]
    public async Task Map_PolygonsHaveTheAreasOfTheDetectedShapes()
    {
        // Two rectangles of "landslide" (20 x 20 px and 10 x 30 px at 10 m) and a 2 x 2 px speck under the minimum area.
        var builder = new SceneBuilder { Width = 300, Height = 260 };
        var scenePath = builder.Write(_temp.File("scene.tif"), (b, x, y) =>
            b != Red ? 1f
            : (x is >= 40 and < 60 && y is >= 50 and < 70) || (x is >= 150 and < 160 && y is >= 120 and < 150) || (x is >= 250 and < 252 && y is >= 10 and < 12) ? 0.9f
            : 0.1f);

        var result = await MapAsync(scenePath, TinyOnnxModels.Passthrough(Red), new MapOptions { Threshold = 0.5, MinAreaM2 = 1000 });

        using var geoJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(result.OutputDirectory, OutputNames.Polygons)));
        var areas = geoJson.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("area_m2").GetDouble())
            .Order()
            .ToArray();
        Assert.Equal([30_000d, 40_000d], areas);
        Assert.Equal(2, result.Run.Counts.Polygons);
        Assert.Equal(70_000d, result.Run.Counts.LandslideAreaM2, 6);
        Assert.Equal((20 * 20) + (10 * 30) + (2 * 2), result.Run.Counts.LandslidePixels);
    }

    [Fact]
    public async Task Map_RecordsProvenanceAndAStacItem()
    {
        var builder = new SceneBuilder { Width = 300, Height = 200 };
        var scenePath = builder.Write(_temp.File("scene.tif"), (b, x, y) => b == Red ? Field(x, y) : 1f);
        var model = TinyOnnxModels.Passthrough(Red);

        var result = await MapAsync(scenePath, model, new MapOptions { Overlap = 16, Threshold = 0.7 });

        using var run = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(result.OutputDirectory, OutputNames.Run)));
        var root = run.RootElement;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(model)), root.GetProperty("model").GetProperty("sha256").GetString());
        Assert.Equal(0.7, root.GetProperty("settings").GetProperty("threshold").GetDouble());
        Assert.Equal(new TileGrid(300, 200, 16).TileCount, root.GetProperty("counts").GetProperty("tiles").GetInt64());
        Assert.Equal(300L * 200, root.GetProperty("counts").GetProperty("valid_pixels").GetInt64());
        foreach (var stage in new[] { "validate", "read", "features", "inference", "blend_write", "polygonize", "quicklook", "total" })
        {
            Assert.True(root.GetProperty("timings_s").TryGetProperty(stage, out _), $"run.json lacks the timing of {stage}");
        }

        using var item = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(result.OutputDirectory, OutputNames.StacItem)));
        var bbox = item.RootElement.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();

        // UTM 45N, easting 500 km: the central meridian, 87 E; northing 3100 km: about 28 N.
        Assert.InRange(bbox[0], 86.9, 87.1);
        Assert.InRange(bbox[1], 27.9, 28.1);
        Assert.Equal(32645, item.RootElement.GetProperty("properties").GetProperty("proj:epsg").GetInt32());
        Assert.True(File.Exists(Path.Combine(result.OutputDirectory, OutputNames.Quicklook)));
    }

    [Fact]
    public async Task Map_RejectsAThreeBandScene_AndLeavesItUntouched()
    {
        var builder = new SceneBuilder { Width = 64, Height = 64, BandCount = 3 };
        var scenePath = builder.Write(_temp.File("rgb.tif"), (b, x, y) => 1f);
        var before = SHA256.HashData(await File.ReadAllBytesAsync(scenePath));
        var output = _temp.File("out");

        var error = await Assert.ThrowsAsync<SceneRejectedException>(() => MapAsync(scenePath, TinyOnnxModels.Passthrough(Red), new MapOptions(), output));

        Assert.Equal(SceneError.WrongBandCount, error.Code);
        Assert.Contains("14", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(scenePath)));
        Assert.False(File.Exists(Path.Combine(output, OutputNames.Mask)));
    }

    [Fact]
    public async Task Map_RejectsAnAllNodataScene()
    {
        var builder = new SceneBuilder { Width = 64, Height = 64 };
        var scenePath = builder.Write(_temp.File("empty.tif"), (b, x, y) => -9999f);

        var error = await Assert.ThrowsAsync<SceneRejectedException>(() => MapAsync(scenePath, TinyOnnxModels.Passthrough(Red), new MapOptions()));

        Assert.Equal(SceneError.AllNodata, error.Code);
    }

    private static bool IsHole(int x, int y) => x is >= 200 and < 230 && y is >= 100 and < 140;

    private static float Field(int x, int y) => 0.5f + (0.4f * MathF.Sin(x / 17f) * MathF.Cos(y / 23f));

    private async Task<MapResult> MapAsync(string scenePath, byte[] model, MapOptions options, string? output = null)
    {
        var modelPath = _temp.File($"model-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(modelPath, model);
        using var segmenter = OnnxSegmenter.Open(new InferenceOptions { ModelPath = modelPath, BatchSize = 4 });
        var mapper = new SceneMapper(segmenter, NullLogger<SceneMapper>.Instance);
        return await mapper.MapAsync(new MapRequest(scenePath, output ?? _temp.File("out"), options), progress: null, CancellationToken.None);
    }

    private static float[] ReadBand(string path, int width, int height)
    {
        using var raster = RasterScene.Open(path);
        var values = new float[width * height];
        raster.ReadWindow(0, 0, width, height, values);
        return values;
    }
}
