using Landslide.Raster.Scenes;
using Landslide.TestSupport;

namespace Landslide.Raster.Tests;

public sealed class ScenePixelsTests : IDisposable
{
    private readonly TempDirectory _temp = new("scene-pixels");

    [Fact]
    public void FromWgs84_TakesTheFootprintCornersBackToThePixelCorners()
    {
        var path = new SceneBuilder { Width = 300, Height = 200 }.Write(_temp.File("scene.tif"), (_, _, _) => 1);
        using var scene = RasterScene.Open(path);
        var footprint = SpatialReferences.FootprintWgs84(scene.Info);
        var lon = footprint.Select(p => p.Lon).ToArray();
        var lat = footprint.Select(p => p.Lat).ToArray();

        ScenePixels.FromWgs84(scene.Info, lon, lat);

        (double Column, double Row)[] expected = [(0, 0), (300, 0), (300, 200), (0, 200)];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i].Column, lon[i], 6);
            Assert.Equal(expected[i].Row, lat[i], 6);
        }
    }

    public void Dispose() => _temp.Dispose();
}
