using Landslide.Core.Segmentation;
using PureHDF;

namespace Landslide.Training.Data;

/// <summary>Reads Landslide4Sense HDF5 patches: <c>img</c> (128, 128, 14) float64 and <c>mask</c> (128, 128) uint8.</summary>
public static class L4sPatchReader
{
    /// <summary>Reads an image patch as 14 x 128 x 128 float32, band-sequential (CHW).</summary>
    public static float[] ReadBands(string path)
    {
        var hwc = ReadDataset<double>(path, "img", [ModelContract.TileSize, ModelContract.TileSize, ModelContract.InputBands]);
        var chw = new float[ModelContract.BandValuesPerTile];
        const int Bands = ModelContract.InputBands;
        for (var pixel = 0; pixel < ModelContract.PixelsPerTile; pixel++)
        {
            for (var band = 0; band < Bands; band++)
            {
                chw[(band * ModelContract.PixelsPerTile) + pixel] = (float)hwc[(pixel * Bands) + band];
            }
        }

        return chw;
    }

    /// <summary>Reads a mask patch as 128 x 128 bytes (1 = landslide).</summary>
    public static byte[] ReadMask(string path)
        => ReadDataset<byte>(path, "mask", [ModelContract.TileSize, ModelContract.TileSize]);

    private static T[] ReadDataset<T>(string path, string name, ulong[] expectedShape)
        where T : unmanaged
    {
        if (!File.Exists(path))
        {
            throw new TrainingDataException(TrainingDataError.FileNotFound, $"{path} does not exist");
        }

        using var file = H5File.OpenRead(path);
        if (!file.LinkExists(name))
        {
            throw new TrainingDataException(TrainingDataError.DatasetMissing, $"{path} has no dataset '{name}'");
        }

        var dataset = file.Dataset(name);
        var shape = dataset.Space.Dimensions;
        if (!shape.SequenceEqual(expectedShape))
        {
            throw new TrainingDataException(
                TrainingDataError.WrongShape,
                $"{path}: dataset '{name}' has shape ({string.Join(", ", shape)}), expected ({string.Join(", ", expectedShape)})");
        }

        return dataset.Read<T[]>();
    }
}
