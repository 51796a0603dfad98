using Landslide.Raster.Labels;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;

namespace Landslide.Raster.Tests.Labels;

public sealed class PolygonLabelRasterizerTests : IDisposable
{
    private readonly TempDirectory _temp = new("rasterize");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GeoPackage_WithALabelledAreaLayer_BurnsOntoTheScenesGrid()
    {
        // Scene: SceneBuilder's 64 x 64 px of 10 m from (500000, 3100000), EPSG:32645. Labelled area: the top half.
        var grid = new SceneBuilder().Layout;
        File.WriteAllText(_temp.File("slides.geojson"), LabelledMosaic.Rectangles(32645, (500_100, 3_099_800, 500_200, 3_099_900, null)));
        File.WriteAllText(_temp.File("area.geojson"), LabelledMosaic.Rectangles(32645, (500_000, 3_099_680, 500_640, 3_100_000, null)));
        var gpkg = _temp.File("labels.gpkg");
        GdalCli.OgrToGeoPackage(_temp.File("slides.geojson"), gpkg, "landslides");
        GdalCli.OgrToGeoPackage(_temp.File("area.geojson"), gpkg, LabelValues.LabelledArea);

        var counts = PolygonLabelRasterizer.Rasterize(gpkg, grid, _temp.File("labels.tif"));

        Assert.True(PolygonLabelRasterizer.IsVector(gpkg));
        Assert.Equal(new LabelCounts(100, (32 * 64) - 100, 32 * 64, 0, LandslideFeatures: 1, AreaFeatures: 1), counts);
        using var labels = RasterScene.Open(_temp.File("labels.tif"));
        Assert.Equal(grid.GeoTransform, labels.Info.GeoTransform);
        Assert.Equal(32645, labels.Info.Epsg);
        Assert.Equal(LabelValues.Unlabelled, labels.Info.NoData);
        var row = new float[64];
        labels.ReadWindow(0, 15, 64, 1, [1], row);
        Assert.Equal(LabelValues.Landslide, row[15]);
        Assert.Equal(LabelValues.Background, row[30]);
    }

    [Fact]
    public void NotVectorData_IsRefusedWithGdalsReason()
    {
        File.WriteAllText(_temp.File("notes.txt"), "not polygons");

        Assert.False(PolygonLabelRasterizer.IsVector(_temp.File("notes.txt")));
        Assert.Throws<InvalidDataException>(() => PolygonLabelRasterizer.Rasterize(_temp.File("notes.txt"), new SceneBuilder().Layout, _temp.File("labels.tif")));
    }
}
