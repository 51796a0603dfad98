using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using PureHDF;

namespace Landslide.TestSupport;

/// <summary>
/// Reads the real Landslide4Sense patches (HDF5) and lays them out as scenes at run time: nothing cut from them is
/// ever written into the repository.
/// </summary>
public static class RealPatches
{
    private const int Size = ModelContract.TileSize;

    /// <summary>Patch <paramref name="id"/> as 14 x 128 x 128 float32 (CHW), Landslide4Sense scale.</summary>
    public static float[] ReadImage(int id)
    {
        using var file = H5File.OpenRead(SharedData.ImagePath(id));
        var hwc = file.Dataset("img").Read<double[]>();
        var bands = ModelContract.InputBands;
        var chw = new float[hwc.Length];
        for (var p = 0; p < Size * Size; p++)
        {
            for (var c = 0; c < bands; c++)
            {
                chw[(c * Size * Size) + p] = (float)hwc[(p * bands) + c];
            }
        }

        return chw;
    }

    /// <summary>The truth mask of patch <paramref name="id"/>: 128 x 128, 1 = landslide.</summary>
    public static byte[] ReadMask(int id)
    {
        using var file = H5File.OpenRead(SharedData.MaskPath(id));
        return file.Dataset("mask").Read<byte[]>();
    }

    /// <summary>
    /// Writes a mosaic scene of the given patches, <paramref name="columns"/> patches a row, in UTM 45N at 10 m, and its
    /// truth mask on the same grid (<c>truth.tif</c> beside the scene, uint8, 255 = nodata). Returns the scene path.
    /// </summary>
    public static string WriteMosaic(string directory, IReadOnlyList<int> ids, int columns)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var rows = (ids.Count + columns - 1) / columns;
        var width = columns * Size;
        var height = rows * Size;
        var bands = new float[ModelContract.InputBands * width * height];
        var truth = new float[width * height];
        var plane = width * height;
        for (var k = 0; k < ids.Count; k++)
        {
            var image = ReadImage(ids[k]);
            var mask = ReadMask(ids[k]);
            var x0 = k % columns * Size;
            var y0 = k / columns * Size;
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    var target = ((y0 + y) * width) + x0 + x;
                    truth[target] = mask[(y * Size) + x];
                    for (var c = 0; c < ModelContract.InputBands; c++)
                    {
                        bands[(c * plane) + target] = image[(c * Size * Size) + (y * Size) + x];
                    }
                }
            }
        }

        // Cells without a patch are nodata.
        for (var k = ids.Count; k < rows * columns; k++)
        {
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    var target = (((k / columns * Size) + y) * width) + (k % columns * Size) + x;
                    truth[target] = 255;
                    for (var c = 0; c < ModelContract.InputBands; c++)
                    {
                        bands[(c * plane) + target] = -9999f;
                    }
                }
            }
        }

        Directory.CreateDirectory(directory);
        new SceneBuilder { Width = width, Height = height, NoData = 255, BandCount = 1, BandType = BandDataType.Byte }
            .Write(Path.Combine(directory, "truth.tif"), truth);
        return new SceneBuilder { Width = width, Height = height, NoData = -9999 }.Write(Path.Combine(directory, "scene.tif"), bands);
    }
}
