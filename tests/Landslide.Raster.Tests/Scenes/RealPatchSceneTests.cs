using Landslide.Core.Scenes;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;
using PureHDF;

namespace Landslide.Raster.Tests.Scenes;

/// <summary>A real Landslide4Sense patch written as a GeoTIFF by SceneBuilder passes validation and reads back exactly.</summary>
public sealed class RealPatchSceneTests : IDisposable
{
    private readonly TempDirectory _temp = new("raster-real");

    public void Dispose() => _temp.Dispose();

    [RealDataTheory]
    [InlineData(1)]
    [InlineData(512)]
    public void WriteRealPatch_RoundTripsThePatchValues(int id)
    {
        var path = SceneBuilder.WriteRealPatch(_temp.File($"patch_{id}.tif"), id);
        using var file = H5File.OpenRead(SharedData.ImagePath(id));
        var hwc = file.Dataset("img").Read<double[]>();

        using var scene = RasterScene.Open(path);
        new SceneValidator().Validate(scene.Info);
        scene.ThrowIfAllNodata();
        var chw = new float[14 * 128 * 128];
        scene.ReadWindow(0, 0, 128, 128, chw);

        // Pixel (row 37, column 90), every band: HDF5 is channels-last, the read is band-sequential.
        const int Pixel = (37 * 128) + 90;
        for (var b = 0; b < 14; b++)
        {
            Assert.Equal((float)hwc[(Pixel * 14) + b], chw[(b * 128 * 128) + Pixel]);
        }
    }
}
