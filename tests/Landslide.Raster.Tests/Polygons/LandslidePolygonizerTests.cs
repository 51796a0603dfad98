using System.Text.Json;
using Landslide.Core.Scenes;
using Landslide.Raster.Polygons;
using Landslide.TestSupport;

namespace Landslide.Raster.Tests.Polygons;

public sealed class LandslidePolygonizerTests : IDisposable
{
    private const int Size = 100;
    private readonly TempDirectory _temp = new("raster-polygons");

    public void Dispose() => _temp.Dispose();

    private static readonly SceneBuilder MaskGrid = new() { Width = Size, Height = Size, BandCount = 1, BandType = BandDataType.Byte, NoData = 255 };

    /// <summary>A 10 x 10 px square, a diagonal pair (8-connected: one polygon), a single pixel, and a nodata strip.</summary>
    private static float Mask(int band, int x, int y) => (x, y) switch
    {
        ( < 5, _) => 255,
        ( >= 20 and < 30, >= 20 and < 30) => 1,
        (60, 60) or (61, 61) => 1,
        (80, 10) => 1,
        _ => 0,
    };

    private static float Probability(int band, int x, int y) => (x, y) switch
    {
        (25, 25) => 255,
        ( >= 20 and < 30, >= 20 and < 30) => 200,
        (60, 60) or (61, 61) => 128,
        (80, 10) => 130,
        _ => 3,
    };

    private static readonly SceneBuilder ProbabilityGrid = new() { Width = Size, Height = Size, BandCount = 1, BandType = BandDataType.Byte, NoData = null };

    private (string Mask, string Probability) WriteInputs()
        => (MaskGrid.Write(_temp.File("mask.tif"), Mask), ProbabilityGrid.Write(_temp.File("probability.tif"), Probability));

    [Fact]
    public void Write_TracesPolygons_WithAreasCountsAndProbabilities()
    {
        var (mask, probability) = WriteInputs();
        var output = _temp.File("landslides.geojson");

        var summary = LandslidePolygonizer.Write(mask, probability, output, new PolygonizeOptions());

        Assert.Equal(3, summary.Count);
        Assert.Equal(10_300, summary.TotalAreaM2, 6);
        var features = ReadFeatures(output);
        var byArea = features.OrderByDescending(f => f.Area).ToArray();
        Assert.Equal([10_000, 200, 100], byArea.Select(f => f.Area));
        Assert.Equal([100L, 2L, 1L], byArea.Select(f => f.Pixels));
        Assert.Equal(((99 * 200) + 255) / 100.0 / 255.0, byArea[0].Mean, 6);
        Assert.Equal(1.0, byArea[0].Max, 6);
        Assert.Equal(128 / 255.0, byArea[1].Mean, 6);
        Assert.Equal([1, 2, 3], features.Select(f => f.Id).Order());
    }

    [Fact]
    public void Write_EmitsRfc7946Wgs84_LongitudeFirst()
    {
        var (mask, probability) = WriteInputs();
        var output = _temp.File("landslides.geojson");

        var summary = LandslidePolygonizer.Write(mask, probability, output, new PolygonizeOptions());

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        Assert.Equal("FeatureCollection", root.GetProperty("type").GetString());
        Assert.False(root.TryGetProperty("crs", out _), "RFC 7946 GeoJSON carries no crs member");
        foreach (var feature in root.GetProperty("features").EnumerateArray())
        {
            var ring = feature.GetProperty("geometry").GetProperty("coordinates")[0];
            foreach (var point in ring.EnumerateArray())
            {
                // UTM 45N easting 500 km sits on 87 E; northing 3,100 km is about 28 N.
                Assert.InRange(point[0].GetDouble(), 86.99, 87.02);
                Assert.InRange(point[1].GetDouble(), 27.9, 28.1);
            }

            var centroid = feature.GetProperty("properties").GetProperty("centroid");
            Assert.InRange(centroid[0].GetDouble(), 86.99, 87.02);
            Assert.InRange(centroid[1].GetDouble(), 27.9, 28.1);
        }

        var bounds = Assert.NotNull(summary.Bounds);
        Assert.True(bounds.West < bounds.East && bounds.South < bounds.North);
        Assert.InRange(bounds.West, 87.0, 87.01);
        Assert.Contains("Feature Count: 3", GdalCli.OgrInfo(output), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_CentroidOfTheSquare_IsItsCentre()
    {
        var (mask, probability) = WriteInputs();
        var output = _temp.File("landslides.geojson");

        LandslidePolygonizer.Write(mask, probability, output, new PolygonizeOptions { MinAreaM2 = 5_000 });

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var feature = Assert.Single(json.RootElement.GetProperty("features").EnumerateArray());
        var ring = feature.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().ToArray();
        var centroid = feature.GetProperty("properties").GetProperty("centroid");

        // Over 100 m the UTM -> lon/lat map is affine to well under a centimetre, so the centroid is the corners' mean;
        // RFC 7946 output rounds coordinates to 7 decimals, hence 6 here (about 5 cm).
        Assert.Equal(ring[..4].Average(p => p[0].GetDouble()), centroid[0].GetDouble(), 6);
        Assert.Equal(ring[..4].Average(p => p[1].GetDouble()), centroid[1].GetDouble(), 6);
    }

    [Theory]
    [InlineData(150, 2, 10_200)]
    [InlineData(5_000, 1, 10_000)]
    [InlineData(20_000, 0, 0)]
    public void Write_DropsPolygonsUnderTheMinimumArea(double minArea, int count, double total)
    {
        var (mask, probability) = WriteInputs();
        var output = _temp.File("landslides.geojson");

        var summary = LandslidePolygonizer.Write(mask, probability, output, new PolygonizeOptions { MinAreaM2 = minArea });

        Assert.Equal(count, summary.Count);
        Assert.Equal(total, summary.TotalAreaM2, 6);
        Assert.Equal(count, ReadFeatures(output).Count);
        Assert.Equal(count == 0, summary.Bounds is null);
    }

    [Fact]
    public void Write_LeavesProbabilityNodata_OutOfTheMeanAndMax_ButCountsThePixel()
    {
        var mask = MaskGrid.Write(_temp.File("mask.tif"), Mask);
        var probability = MaskGrid.Write(_temp.File("probability.tif"), Probability); // 255 is nodata here
        var output = _temp.File("landslides.geojson");

        LandslidePolygonizer.Write(mask, probability, output, new PolygonizeOptions { MinAreaM2 = 5_000 });

        var square = Assert.Single(ReadFeatures(output));
        Assert.Equal(100, square.Pixels);
        Assert.Equal(200 / 255.0, square.Mean, 6);
        Assert.Equal(200 / 255.0, square.Max, 6);
    }

    [Fact]
    public void Write_ReadsFloatProbabilities_AsTheyAre()
    {
        var mask = MaskGrid.Write(_temp.File("mask.tif"), Mask);
        var probability = new SceneBuilder { Width = Size, Height = Size, BandCount = 1, NoData = null }
            .Write(_temp.File("probability.tif"), (_, x, y) => x == 25 && y == 25 ? 0.99f : 0.7f);
        var output = _temp.File("landslides.geojson");

        LandslidePolygonizer.Write(mask, probability, output, new PolygonizeOptions { MinAreaM2 = 5_000 });

        var square = Assert.Single(ReadFeatures(output));
        Assert.Equal(((99 * 0.7) + 0.99) / 100, square.Mean, 5);
        Assert.Equal(0.99, square.Max, 5);
    }

    [Fact]
    public void Write_Throws_WhenTheRastersAreNotOnTheSameGrid()
    {
        var mask = MaskGrid.Write(_temp.File("mask.tif"), Mask);
        var shifted = new SceneBuilder { Width = Size, Height = Size, BandCount = 1, BandType = BandDataType.Byte, NoData = null, OriginX = 500_010 }
            .Write(_temp.File("probability.tif"), Probability);

        var error = Assert.Throws<ArgumentException>(
            () => LandslidePolygonizer.Write(mask, shifted, _temp.File("out.geojson"), new PolygonizeOptions()));

        Assert.Contains("not on the same grid", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("out.geojson")));
    }

    [Fact]
    public void Write_WithALateProbability_AsksForItAfterTheMask_AndWritesTheSamePolygons()
    {
        var (mask, probability) = WriteInputs();
        var direct = _temp.File("direct.geojson");
        var late = _temp.File("late.geojson");
        LandslidePolygonizer.Write(mask, probability, direct, new PolygonizeOptions());

        // The probability raster does not exist until asked for: the mask side must not touch it before.
        var pending = _temp.File("pending.tif");
        var asked = 0;
        var summary = LandslidePolygonizer.Write(
            mask,
            () =>
            {
                asked++;
                File.Copy(probability, pending);
                return pending;
            },
            late,
            new PolygonizeOptions());

        Assert.Equal(1, asked);
        Assert.Equal(3, summary.Count);
        Assert.Equal(ReadFeatures(direct), ReadFeatures(late));
    }

    [Fact]
    public void Write_WithALateProbability_ThatFails_PassesTheFailureOn_AndLeavesNoOutput()
    {
        var (mask, _) = WriteInputs();
        var output = _temp.File("out.geojson");

        var error = Assert.Throws<InvalidOperationException>(() => LandslidePolygonizer.Write(
            mask, () => throw new InvalidOperationException("the probability COG failed"), output, new PolygonizeOptions()));

        Assert.Equal("the probability COG failed", error.Message);
        Assert.Equal(["mask.tif", "probability.tif"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Write_WithALateProbability_OnAnotherGrid_Throws()
    {
        var mask = MaskGrid.Write(_temp.File("mask.tif"), Mask);
        var shifted = new SceneBuilder { Width = Size, Height = Size, BandCount = 1, BandType = BandDataType.Byte, NoData = null, OriginX = 500_010 }
            .Write(_temp.File("probability.tif"), Probability);

        var error = Assert.Throws<ArgumentException>(
            () => LandslidePolygonizer.Write(mask, () => shifted, _temp.File("out.geojson"), new PolygonizeOptions()));

        Assert.Contains("not on the same grid", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("out.geojson")));
    }

    [Fact]
    public void Write_RejectsAGeographicMask()
    {
        var geographic = new SceneBuilder { Width = 20, Height = 20, BandCount = 1, BandType = BandDataType.Byte, Epsg = 4326, OriginX = 87, OriginY = 28, PixelSize = 0.0001 };
        var mask = geographic.Write(_temp.File("mask.tif"), (_, _, _) => 1);
        var probability = geographic.Write(_temp.File("probability.tif"), (_, _, _) => 255);

        var error = Assert.Throws<SceneRejectedException>(
            () => LandslidePolygonizer.Write(mask, probability, _temp.File("out.geojson"), new PolygonizeOptions()));

        Assert.Equal(SceneError.GeographicCrs, error.Code);
    }

    private static List<(int Id, double Area, long Pixels, double Mean, double Max)> ReadFeatures(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return
        [
            .. json.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).Select(p => (
                p.GetProperty("id").GetInt32(),
                p.GetProperty("area_m2").GetDouble(),
                p.GetProperty("pixel_count").GetInt64(),
                p.GetProperty("mean_probability").GetDouble(),
                p.GetProperty("max_probability").GetDouble())),
        ];
    }
}
