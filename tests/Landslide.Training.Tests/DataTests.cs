using Landslide.Core.Segmentation;
using Landslide.TestSupport;
using Landslide.Training.Data;

namespace Landslide.Training.Tests;

public sealed class DataTests
{
    private static readonly string[] TrainIds = [.. SharedData.TrainIds.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void Folds_AreContiguousBlocksInNaturalOrder_Fold1TestsOnTheLastBlock()
    {
        var (train1, test1) = FoldSplit.Split(TrainIds.Reverse(), 1);
        var (_, test5) = FoldSplit.Split(TrainIds, 5);
        var (_, test3) = FoldSplit.Split(TrainIds, 3);

        Assert.Equal(["512", "600", "800"], test1);
        Assert.Equal(12, train1.Count);
        Assert.Equal(["1", "3", "16"], test5);
        Assert.Equal(["41", "45", "72"], test3);
        Assert.Equal(TrainIds.Order().ToList(), Enumerable.Range(1, 5).SelectMany(k => FoldSplit.Split(TrainIds, k).Test).Order().ToList());
    }

    [Fact]
    public void HoldoutIds_InTheTrainingList_AreRejectedWithACode()
    {
        var ex = Assert.Throws<TrainingDataException>(() => FoldSplit.EnsureNoHoldout(["1", "2", "3"], ["2", "40"]));

        Assert.Equal(TrainingDataError.HoldoutLeak, ex.Code);
        Assert.Contains("2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_MissingFile_ThrowsFileNotFoundCode()
    {
        var ex = Assert.Throws<TrainingDataException>(() => L4sPatchReader.ReadBands("/nonexistent/image_1.h5"));

        Assert.Equal(TrainingDataError.FileNotFound, ex.Code);
    }

    [RealDataFact]
    public void Reader_GivesBandSequentialBandsAndABinaryMask()
    {
        var bands = L4sPatchReader.ReadBands(SharedData.ImagePath(512));
        var mask = L4sPatchReader.ReadMask(SharedData.MaskPath(512));

        Assert.Equal(ModelContract.BandValuesPerTile, bands.Length);
        Assert.All(mask, v => Assert.True(v <= 1));

        // 512 is the patch with the most landslide pixels (29.5 %, data README).
        Assert.InRange(mask.Count(v => v == 1) / (double)mask.Length, 0.29, 0.30);

        // Landslide4Sense scale: each band sits around 1 on average.
        var slopeMean = bands.AsSpan(12 * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile).ToArray().Average();
        Assert.InRange(slopeMean, 0.1, 10);
    }

    [Fact]
    public void Augmenter_IsReproducibleFromItsSeed_AndKeepsTheMaskAlignedWithTheFeatures()
    {
        var tiles = Enumerable.Range(0, 3).Select(Synthetic).ToList();
        var a = Run(new Augmenter(tiles, seed: 5), tiles);
        var b = Run(new Augmenter(tiles, seed: 5), tiles);
        var c = Run(new Augmenter(tiles, seed: 6), tiles);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);

        // Synthetic tiles carry the label in channel 0 (label + 10 * id): rotation and cutmix keep it consistent.
        var augmenter = new Augmenter(tiles, seed: 9);
        var features = new float[ModelContract.FeatureValuesPerTile];
        var mask = new byte[ModelContract.PixelsPerTile];
        for (var round = 0; round < 10; round++)
        {
            augmenter.Apply(tiles[0], features, mask);
            for (var p = 0; p < mask.Length; p++)
            {
                Assert.Equal(mask[p], (byte)(features[p] % 10));
            }
        }
    }

    [Fact]
    public void Rotate90_TurnsCounterClockwiseLikeNumpy()
    {
        var source = new int[ModelContract.PixelsPerTile];
        source[0 * 128 + 127] = 1; // top-right corner
        var rotated = new int[source.Length];

        Augmenter.Rotate90<int>(source, rotated, 1);

        Assert.Equal(1, rotated[0]); // np.rot90 moves top-right to top-left
    }

    private static LabelledTile Synthetic(int id)
    {
        var mask = new byte[ModelContract.PixelsPerTile];
        var features = new float[ModelContract.FeatureValuesPerTile];
        for (var p = 0; p < mask.Length; p++)
        {
            mask[p] = (byte)((p / 128) % (id + 2) == 0 && p % 128 > 20 * id ? 1 : 0);
            features[p] = mask[p] + (10 * id);
            features[ModelContract.PixelsPerTile + p] = p;
        }

        return new LabelledTile($"{id}", features, mask);
    }

    private static List<float> Run(Augmenter augmenter, IReadOnlyList<LabelledTile> tiles)
    {
        var features = new float[ModelContract.FeatureValuesPerTile];
        var mask = new byte[ModelContract.PixelsPerTile];
        var trace = new List<float>();
        foreach (var tile in tiles.Concat(tiles))
        {
            augmenter.Apply(tile, features, mask);
            trace.Add(features.Sum());
            trace.Add(mask.Sum(v => (float)v));
        }

        return trace;
    }
}
