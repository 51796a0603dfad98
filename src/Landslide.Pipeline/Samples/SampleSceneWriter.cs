using System.Buffers;
using Landslide.Core.Samples;
using Landslide.Core.Scenes;
using Landslide.Raster;
using Landslide.Raster.Writers;

namespace Landslide.Pipeline.Samples;

/// <summary>Writes a synthetic sample scene (scene.tif, 14 bands) and its truth mask (truth.tif) on the same grid.</summary>
public static class SampleSceneWriter
{
    public const string SceneFileName = "scene.tif";
    public const string TruthFileName = "truth.tif";

    private const int RowsPerBlock = 128;

    /// <summary>Writes both files into <paramref name="directory"/>, streaming row blocks, and returns the scene's path.</summary>
    public static string Write(string directory, int size, int seed, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        Directory.CreateDirectory(directory);
        var scene = new SyntheticScene(size, size, seed);
        var wkt = SpatialReferences.WktFromEpsg(SyntheticScene.Epsg);
        var sceneLayout = new SceneInfo(
            size, size, [.. Enumerable.Repeat(BandDataType.Float32, SyntheticScene.BandCount)], scene.GeoTransform, wkt, SyntheticScene.Epsg, IsProjected: true, NoData: null);
        var truthLayout = sceneLayout with { BandTypes = [BandDataType.Byte], NoData = 255 };

        var scenePath = Path.Combine(directory, SceneFileName);
        using var sceneWriter = GeoTiffWriter.Create(scenePath, sceneLayout);
        using var truthWriter = GeoTiffWriter.Create(Path.Combine(directory, TruthFileName), truthLayout);
        var bands = ArrayPool<float>.Shared.Rent(SyntheticScene.BandCount * RowsPerBlock * size);
        var truth = ArrayPool<byte>.Shared.Rent(RowsPerBlock * size);
        var truthAsFloat = ArrayPool<float>.Shared.Rent(RowsPerBlock * size);
        try
        {
            for (var row = 0; row < size; row += RowsPerBlock)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = Math.Min(RowsPerBlock, size - row);
                var plane = rows * size;
                scene.FillRows(row, rows, bands, truth);
                for (var i = 0; i < plane; i++)
                {
                    truthAsFloat[i] = truth[i];
                }

                sceneWriter.WriteWindow(0, row, size, rows, bands.AsSpan(0, plane * SyntheticScene.BandCount));
                truthWriter.WriteWindow(0, row, size, rows, truthAsFloat.AsSpan(0, plane));
            }

            sceneWriter.Complete();
            truthWriter.Complete();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bands);
            ArrayPool<byte>.Shared.Return(truth);
            ArrayPool<float>.Shared.Return(truthAsFloat);
        }

        return scenePath;
    }
}
