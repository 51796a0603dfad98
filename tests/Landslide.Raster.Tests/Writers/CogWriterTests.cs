using System.Text.Json;
using Landslide.Core.Scenes;
using Landslide.Raster.Scenes;
using Landslide.Raster.Writers;
using Landslide.TestSupport;

namespace Landslide.Raster.Tests.Writers;

public sealed class CogWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new("raster-cog");

    public void Dispose() => _temp.Dispose();

    private static SceneInfo Grid(int width, int height) => new SceneBuilder { Width = width, Height = height, OriginX = 612_340, OriginY = 3_098_760 }.Layout;

    [Fact]
    public void Complete_WritesACogOnTheScenesGrid_WithOverviews()
    {
        var grid = Grid(1200, 1000);
        var path = _temp.File("mask.tif");
        using (var writer = CogWriter.Create(path, grid, RasterPixelType.Byte, noData: 255, OverviewResampling.Nearest))
        {
            // Blocks of 300 rows, deliberately not aligned with the 512 px tiles.
            var rows = new byte[300 * 1200];
            for (var y = 0; y < 1000; y += 300)
            {
                var n = Math.Min(300, 1000 - y);
                for (var i = 0; i < n * 1200; i++)
                {
                    rows[i] = (byte)(((y + (i / 1200)) / 100) % 2);
                }

                writer.WriteRows(y, rows.AsSpan(0, n * 1200));
            }

            writer.Complete();
        }

        using var info = GdalCli.GdalInfoJson(path);
        var root = info.RootElement;
        Assert.Equal([612_340, 10, 0, 3_098_760, 0, -10], root.GetProperty("geoTransform").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(32645, root.GetProperty("stac").GetProperty("proj:epsg").GetInt32());
        var structure = root.GetProperty("metadata").GetProperty("IMAGE_STRUCTURE");
        Assert.Equal("COG", structure.GetProperty("LAYOUT").GetString());
        Assert.Equal("DEFLATE", structure.GetProperty("COMPRESSION").GetString());
        var band = root.GetProperty("bands")[0];
        Assert.Equal("Byte", band.GetProperty("type").GetString());
        Assert.Equal(255, band.GetProperty("noDataValue").GetDouble());
        var overviews = band.GetProperty("overviews").EnumerateArray().Select(o => o.GetProperty("size")[0].GetInt32()).ToArray();
        Assert.Equal([600, 300], overviews);
        Assert.Single(Directory.GetFiles(_temp.Path));

        using var scene = RasterScene.Open(path);
        var row = new float[1200];
        scene.ReadWindow(0, 450, 1200, 1, row);
        Assert.All(row, v => Assert.Equal(0, v));
        scene.ReadWindow(0, 999, 1200, 1, row);
        Assert.All(row, v => Assert.Equal(1, v));
    }

    [Fact]
    public void Complete_WritesFloatProbabilities_ThatReadBackExactly()
    {
        var grid = Grid(700, 600);
        var path = _temp.File("probability.tif");
        var values = new float[700 * 600];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % 1000) / 999f;
        }

        using (var writer = CogWriter.Create(path, grid, RasterPixelType.Float32, noData: null, OverviewResampling.Average))
        {
            writer.WriteRows(0, values.AsSpan(0, 700 * 350));
            writer.WriteRows(350, values.AsSpan(700 * 350));
            writer.Complete();
        }

        using var scene = RasterScene.Open(path);
        var read = new float[values.Length];
        scene.ReadWindow(0, 0, 700, 600, read);
        Assert.Equal(values, read);
        Assert.Equal(BandDataType.Float32, scene.Info.BandTypes[0]);
        using var info = GdalCli.GdalInfoJson(path);
        Assert.Equal("COG", info.RootElement.GetProperty("metadata").GetProperty("IMAGE_STRUCTURE").GetProperty("LAYOUT").GetString());
    }

    [Fact]
    public void Complete_TunedAndBaselineSettings_WriteTheSamePixels_AsValidCogs()
    {
        var grid = Grid(1500, 1300);
        var values = new float[1500 * 1300];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i % 1500 is > 200 and < 400 ? float.NaN : MathF.Sin(i / 777f) * 0.5f + 0.5f;
        }

        var paths = new List<string>();
        var overviewCounts = new List<int>();
        foreach (var options in new[]
        {
            CogWriteOptions.Baseline, CogWriteOptions.Default, new CogWriteOptions { Threads = 2 }, new CogWriteOptions { OverviewsOnTemporary = false },
        })
        {
            var path = _temp.File($"probability-{paths.Count}.tif");
            using (var writer = CogWriter.Create(path, grid, RasterPixelType.Float32, double.NaN, OverviewResampling.Average, options))
            {
                for (var y = 0; y < 1300; y += 128)
                {
                    var rows = Math.Min(128, 1300 - y);
                    writer.WriteRows(y, values.AsSpan(y * 1500, rows * 1500));
                }

                writer.Complete();
            }

            Assert.Equal(string.Empty, GdalCli.ValidateCog(path));
            using var info = GdalCli.GdalInfoJson(path);
            overviewCounts.Add(info.RootElement.GetProperty("bands")[0].GetProperty("overviews").GetArrayLength());
            Assert.Single(Directory.GetFiles(_temp.Path, $"probability-{paths.Count}*"));
            paths.Add(path);
        }

        // The overview levels built on the temporary file are the ones the COG driver picks by itself (here 2 and 4).
        Assert.Equal([2, 2, 2, 2], overviewCounts);
        var first = ReadAll(paths[0], 1500, 1300);
        Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), first.Select(BitConverter.SingleToUInt32Bits));
        foreach (var path in paths.Skip(1))
        {
            Assert.Equal(first.Select(BitConverter.SingleToUInt32Bits), ReadAll(path, 1500, 1300).Select(BitConverter.SingleToUInt32Bits));
        }
    }

    [Fact]
    public void Complete_UsesTheDeflateLevel_SamePixels_SmallerFileAtHigherLevels()
    {
        var grid = Grid(1024, 1024);
        var values = new float[1024 * 1024];
        for (var i = 0; i < values.Length; i++)
        {
            // Smooth with a little structure: what DEFLATE levels differ on (noise compresses alike at every level).
            values[i] = MathF.Round((MathF.Sin(i / 3000f) * 0.5f) + 0.5f, 3);
        }

        var sizes = new List<long>();
        foreach (var level in new[] { 1, 9 })
        {
            var path = _temp.File($"level-{level}.tif");
            using (var writer = CogWriter.Create(path, grid, RasterPixelType.Float32, double.NaN, OverviewResampling.Average, new CogWriteOptions { DeflateLevel = level }))
            {
                writer.WriteRows(0, values);
                writer.Complete();
            }

            Assert.Equal(string.Empty, GdalCli.ValidateCog(path));
            Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), ReadAll(path, 1024, 1024).Select(BitConverter.SingleToUInt32Bits));
            sizes.Add(new FileInfo(path).Length);
        }

        Assert.True(sizes[0] > sizes[1], $"level 1 wrote {sizes[0]} bytes, level 9 {sizes[1]}: the level did not reach GDAL");
    }

    [Fact]
    public void Complete_Throws_WhenRowsAreMissing_AndWritesNothing()
    {
        var path = _temp.File("mask.tif");
        using var writer = CogWriter.Create(path, Grid(50, 40), RasterPixelType.Byte, noData: 255, OverviewResampling.Nearest);
        writer.WriteRows(0, new byte[50 * 10]);
        writer.WriteRows(30, new byte[50 * 10]);

        var error = Assert.Throws<InvalidOperationException>(() => writer.Complete());

        Assert.Contains("rows 10..29", error.Message, StringComparison.Ordinal);
        writer.Dispose();
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void WriteRows_RejectsTheWrongPixelType_AndPartialRows()
    {
        using var writer = CogWriter.Create(_temp.File("mask.tif"), Grid(50, 40), RasterPixelType.Byte, noData: 255, OverviewResampling.Nearest);

        Assert.Throws<ArgumentException>(() => writer.WriteRows(0, new float[50]));
        Assert.Throws<ArgumentException>(() => writer.WriteRows(0, new byte[49]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteRows(39, new byte[100]));
    }

    [Fact]
    public void Complete_HonoursCancellation_AndLeavesNoOutput()
    {
        var path = _temp.File("mask.tif");
        using var writer = CogWriter.Create(path, Grid(600, 600), RasterPixelType.Byte, noData: 255, OverviewResampling.Nearest);
        writer.WriteRows(0, new byte[600 * 600]);

        Assert.ThrowsAny<OperationCanceledException>(() => writer.Complete(new CancellationToken(canceled: true)));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Quicklook_WritesAnRgbPng_ThatReadsBack()
    {
        var path = _temp.File("quicklook.png");
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90];

        QuicklookWriter.Write(path, 3, 2, rgb);

        using var info = GdalCli.GdalInfoJson(path);
        Assert.Equal("PNG", info.RootElement.GetProperty("driverShortName").GetString());
        using var scene = RasterScene.Open(path);
        Assert.Equal((3, 2, 3), (scene.Info.Width, scene.Info.Height, scene.Info.BandCount));
        var planes = new float[3 * 6];
        scene.ReadWindow(0, 0, 3, 2, planes);
        Assert.Equal([255, 0, 0, 10, 40, 70], planes[..6]);
        Assert.Equal([0, 0, 255, 30, 60, 90], planes[12..]);
    }

    private static float[] ReadAll(string path, int width, int height)
    {
        using var scene = RasterScene.Open(path);
        var values = new float[width * height];
        scene.ReadWindow(0, 0, width, height, values);
        return values;
    }
}
