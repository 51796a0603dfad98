using Landslide.Core.Scenes;
using Landslide.Raster.Labels;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;
using Landslide.Training.Labels;

namespace Landslide.Training.Tests;

public sealed class LabelledPairPreparerTests : IDisposable
{
    // SceneBuilder's default grid: 64 x 64 px of 10 m from (500000, 3100000) in EPSG:32645.
    private const double X0 = 500_000;
    private const double Y0 = 3_100_000;

    private readonly TempDirectory _temp = new("labels");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Polygons_WithALabelledArea_BurnLandslideBackgroundAndUnlabelled()
    {
        var scene = Scene();
        // Labelled area: the left half (columns 0-31); a landslide of 10 x 10 px at columns 5-14, rows 5-14.
        File.WriteAllText(_temp.File("labels.geojson"), LabelledMosaic.Rectangles(
            32645,
            (X0, Y0 - 640, X0 + 320, Y0, LabelValues.LabelledArea),
            (X0 + 50, Y0 - 150, X0 + 150, Y0 - 50, null)));

        var pair = LabelledPairPreparer.Prepare(scene, _temp.File("labels.geojson"), "l4s", "valley-1", _temp.File("work"));

        Assert.Equal("polygons", pair.Manifest.LabelSource);
        Assert.Equal(100, pair.Manifest.LandslidePixels);
        Assert.Equal((32 * 64) - 100, pair.Manifest.BackgroundPixels);
        Assert.Equal(32 * 64, pair.Manifest.UnlabelledPixels);
        Assert.Equal(1, pair.Manifest.LandslidePolygons);
        Assert.Equal(1, pair.Manifest.LabelledAreaPolygons);
        var labels = Read(pair.LabelsPath);
        Assert.Equal(LabelValues.Landslide, labels[(7 * 64) + 7]);
        Assert.Equal(LabelValues.Background, labels[(20 * 64) + 20]);
        Assert.Equal(LabelValues.Unlabelled, labels[(20 * 64) + 40]);
        Assert.Equal(LabelledPairPreparer.Sha256(pair.LabelsPath), pair.Manifest.LabelsSha256);
    }

    [RealDataFact]
    public void Polygons_InWgs84_FromRealMasks_ReproduceTheTruthOnTheScenesGrid()
    {
        var (scene, polygons, truth) = LabelledMosaic.Write(_temp.Path, [1, 3], columns: 2);

        var pair = LabelledPairPreparer.Prepare(scene, polygons, "l4s", null, _temp.File("work"));

        var expected = Read(truth);
        var actual = Read(pair.LabelsPath);
        var truthLandslide = expected.Count(v => v == 1);
        var agree = expected.Zip(actual).Count(p => p.First == 1 && p.Second == 1);
        Assert.True(truthLandslide > 100, $"the patches hold {truthLandslide} landslide pixels");
        Assert.True(agree >= 0.97 * truthLandslide, $"{agree} of {truthLandslide} truth landslide pixels burned as landslide");
        Assert.InRange(pair.Manifest.LandslidePixels, (long)(0.97 * truthLandslide), (long)(1.03 * truthLandslide));
        Assert.Equal("scene", pair.Manifest.Name);
    }

    [Fact]
    public void RasterLabels_OnTheScenesGrid_AreCopiedAndCounted()
    {
        var scene = Scene();
        var labels = LabelRaster((x, y) => x < 8 ? 1f : y < 8 ? 255f : 0f);

        var pair = LabelledPairPreparer.Prepare(scene, labels, "s2-l2a-dn", "r", _temp.File("work"));

        Assert.Equal("raster", pair.Manifest.LabelSource);
        Assert.Equal("s2-l2a-dn", pair.Manifest.BandProfile);
        Assert.Equal(8 * 64, pair.Manifest.LandslidePixels);
        Assert.Equal(56 * 56, pair.Manifest.BackgroundPixels);
        Assert.Equal(Read(labels), Read(pair.LabelsPath));
    }

    [Fact]
    public void Prepare_RefusesEachBadPair_WithItsOwnCode()
    {
        var scene = Scene();
        File.WriteAllText(_temp.File("notes.txt"), "not labels");
        File.WriteAllText(_temp.File("empty.geojson"), """{"type":"FeatureCollection","features":[]}""");
        File.WriteAllText(_temp.File("far.geojson"), LabelledMosaic.Rectangles(32645, (X0 + 90_000, Y0 - 500, X0 + 90_500, Y0, null)));
        var cases = new (string Labels, LabelError Code, string? Name)[]
        {
            (_temp.File("missing.tif"), LabelError.LabelsNotFound, null),
            (_temp.File("notes.txt"), LabelError.UnreadableLabels, null),
            (new SceneBuilder { BandCount = 2, BandType = BandDataType.Byte }.Write(_temp.File("two.tif"), (b, x, y) => 0f), LabelError.NotOneBand, null),
            (new SceneBuilder { Width = 60, BandCount = 1, BandType = BandDataType.Byte }.Write(_temp.File("small.tif"), (b, x, y) => 0f), LabelError.GridMismatch, null),
            (new SceneBuilder { Epsg = 32646, BandCount = 1, BandType = BandDataType.Byte }.Write(_temp.File("crs.tif"), (b, x, y) => 0f), LabelError.CrsMismatch, null),
            (LabelRaster((x, y) => x == 3 ? 7f : 0f, "values.tif"), LabelError.BadLabelValues, null),
            (LabelRaster((x, y) => 255f, "blank.tif"), LabelError.EmptyLabels, null),
            (_temp.File("empty.geojson"), LabelError.EmptyLabels, null),
            (_temp.File("far.geojson"), LabelError.NoOverlap, null),
            (LabelRaster((x, y) => 0f, "ok.tif"), LabelError.BadName, "../escape"),
        };

        foreach (var (labels, code, name) in cases)
        {
            var error = Assert.Throws<LabelRejectedException>(() => LabelledPairPreparer.Prepare(scene, labels, "l4s", name, _temp.File("work")));
            Assert.True(code == error.Code, $"{Path.GetFileName(labels)}: expected {code}, got {error.Code} ({error.Message})");
        }
    }

    [Fact]
    public void Prepare_RefusesABadScene_AsMappingDoes()
    {
        var scene = new SceneBuilder { BandCount = 3 }.Write(_temp.File("three.tif"), (b, x, y) => 1f);

        var error = Assert.Throws<SceneRejectedException>(() => LabelledPairPreparer.Prepare(scene, LabelRaster((x, y) => 0f), "l4s", null, _temp.File("work")));

        Assert.Equal(SceneError.WrongBandCount, error.Code);
    }

    private string Scene() => new SceneBuilder().Write(_temp.File("scene.tif"), (b, x, y) => 1f + (0.01f * b) + (0.001f * x));

    private string LabelRaster(Func<int, int, float> value, string name = "labels.tif") =>
        new SceneBuilder { BandCount = 1, BandType = BandDataType.Byte, NoData = 255 }.Write(_temp.File(name), (b, x, y) => value(x, y));

    private static float[] Read(string path)
    {
        using var raster = RasterScene.Open(path);
        var values = new float[raster.Info.Width * raster.Info.Height];
        raster.ReadWindow(0, 0, raster.Info.Width, raster.Info.Height, [1], values);
        return values;
    }
}
