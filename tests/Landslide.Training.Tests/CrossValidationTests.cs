using Landslide.Core.Segmentation;
using Landslide.Training.CrossValidation;
using Landslide.Training.Data;

namespace Landslide.Training.Tests;

public sealed class CrossValidationTests
{
    private const int Size = ModelContract.TileSize;

    [Fact]
    public void KFoldSplit_BlocksAreContiguousInNaturalOrder_DisjointAndCoverEveryId()
    {
        string[] ids = ["10", "2", "1", "7", "3", "9", "4"];
        var tests = Enumerable.Range(1, 3).Select(k => FoldSplit.Split(ids, k, foldCount: 3)).ToList();

        // Natural order 1 2 3 4 7 9 10; blocks [0,2) [2,4) [4,7); fold 1 tests on the last block.
        Assert.Equal(["7", "9", "10"], tests[0].Test);
        Assert.Equal(["3", "4"], tests[1].Test);
        Assert.Equal(["1", "2"], tests[2].Test);
        Assert.All(tests, t => Assert.Empty(t.Train.Intersect(t.Test)));
        Assert.Equal(ids.Order().ToList(), tests.SelectMany(t => t.Test).Order().ToList());
        Assert.Throws<TrainingDataException>(() => FoldSplit.Split(["1", "2"], 1, foldCount: 3));
    }

    [Fact]
    public void Components_AreEightConnected_LikeThePolygonizer()
    {
        var probability = new float[Size * Size];
        var mask = new byte[Size * Size];
        Set(probability, 10, 10, 0.9f);
        Set(probability, 11, 11, 0.7f); // diagonal neighbour: same polygon
        Set(probability, 20, 20, 0.8f); // alone
        mask[(11 * Size) + 11] = 1;

        var components = DetectionComponents.Find(probability, mask, 0.5);

        Assert.Equal(2, components.Count);
        var joined = Assert.Single(components, c => c.Pixels == 2);
        Assert.Equal(0.8, joined.MeanProbability, 6);
        Assert.Equal(1, joined.LandslidePixels);
        Assert.Equal(1, joined.BackgroundPixels);
    }

    [Fact]
    public void Score_DroppedPolygonsBecomeBackground_AndPolygonPrecisionCountsPolygonsTouchingALandslide()
    {
        var (probability, mask) = SyntheticTile();
        var empty = new TilePrediction("empty", Speckles(), new byte[Size * Size]);
        TilePrediction[] predictions = [new("synthetic", probability, mask), empty];

        var raw = DetectionScorer.Score(predictions, new DetectionSetting { Threshold = 0.5 });
        var filtered = DetectionScorer.Score(predictions, new DetectionSetting { Threshold = 0.5, MinAreaM2 = 200, MinMeanProbability = 0.7 });

        // Threshold 0.5 keeps A (36 px, all landslide), D (25 px) and 3 + 3 speckles; the 0.4 ring and B (0.3) stay below it.
        Assert.Equal(1 + 1 + 3 + 3, raw.Polygons);
        Assert.Equal(1, raw.PolygonsTouchingLandslide);
        Assert.Equal(36, raw.Pixels.Counts.TruePositive);
        Assert.Equal(25 + 3 + 3, raw.Pixels.Counts.FalsePositive);
        Assert.Equal(3, raw.PolygonsOnEmptyTiles);
        Assert.Equal(1, raw.EmptyTiles);
        Assert.Equal(1, filtered.Polygons);
        Assert.Equal(1.0, filtered.PolygonPrecision);
        Assert.Equal(0, filtered.Pixels.Counts.FalsePositive);
        Assert.Equal(2L * Size * Size, filtered.Pixels.Counts.Total);
        Assert.Equal(0, filtered.PolygonsPerEmptyTile);
    }

    [Fact]
    public void Selector_FindsTheKnownOptimum_OnPooledPredictions()
    {
        var (probability, mask) = SyntheticTile();
        TilePrediction[] predictions = [new("a", probability, mask, Fold: 1), new("b", Speckles(), new byte[Size * Size], Fold: 2)];

        var selection = OutOfFoldSelector.Select(predictions);

        // Only threshold in (0.4, 0.62] keeps all of A without its 0.4 ring; min area 200 m2 drops the 1-px speckles; a
        // minimum mean of 0.7 drops D (0.6) but keeps A (mean 0.744). Ties go to the first grid entry: threshold 0.45.
        Assert.Equal(new DetectionSetting { Threshold = 0.45, MinAreaM2 = 200, MinMeanProbability = 0.7 }, selection.Chosen.Setting);
        Assert.Equal(1.0, selection.Chosen.Pixels.LandslideF1, 9);
        Assert.Equal(1.0, selection.Chosen.PolygonPrecision);
        var plain = Assert.Single(selection.Candidates, c => c.Setting == new DetectionSetting { Threshold = 0.5 });
        Assert.True(plain.Pixels.LandslideF1 < selection.Chosen.Pixels.LandslideF1);
        Assert.True(selection.Candidates.All(c => c.Pixels.LandslideF1 <= selection.Chosen.Pixels.LandslideF1));

        // Minimum means at or below the threshold change nothing and are not tried.
        Assert.DoesNotContain(selection.Candidates, c => c.Setting.MinMeanProbability > 0 && c.Setting.MinMeanProbability <= c.Setting.Threshold);
    }

    [Fact]
    public void Table_ScoresEachFoldOnItsOwnTiles_WithMeanAndSampleSd()
    {
        var (probability, mask) = SyntheticTile();
        var perfect = (float[])probability.Clone();
        Array.Clear(perfect);
        for (var i = 0; i < mask.Length; i++)
        {
            perfect[i] = mask[i] == 1 ? 1f : 0f;
        }

        TilePrediction[] predictions = [new("a", probability, mask, Fold: 1), new("b", perfect, mask, Fold: 2)];
        var setting = new DetectionSetting { Threshold = 0.5 };

        var table = CrossValidationTable.From(predictions, setting);

        var f1 = table.Folds.Select(f => f.Score.Pixels.LandslideF1).ToList();
        Assert.Equal([1, 2], table.Folds.Select(f => f.Fold));
        Assert.Equal(2.0 * 36 / ((2 * 36) + 28), f1[0], 9);
        Assert.Equal(1.0, f1[1], 9);
        Assert.Equal((f1[0] + f1[1]) / 2, table.Mean.F1, 9);
        Assert.Equal(Math.Abs(f1[0] - f1[1]) / Math.Sqrt(2), table.StandardDeviation.F1, 9);
        Assert.Equal(72, table.Pooled.Pixels.Counts.TruePositive);
        Assert.Equal(28, table.Pooled.Pixels.Counts.FalsePositive);
    }

    [Fact]
    public void Report_RoundTripsThroughCvJson()
    {
        var (probability, mask) = SyntheticTile();
        var result = new CrossValidationResult(
            [new FoldOutcome(1, ["2"], ["1"], 1.5, false), new FoldOutcome(2, ["1"], ["2"], 2.5, true)],
            [new TilePrediction("1", probability, mask, 1), new TilePrediction("2", Speckles(), new byte[Size * Size], 2)]);
        var report = CrossValidationReport.Create(result, new TrainingOptions { Epochs = 3 }, new DetectionGrid { Thresholds = [0.5, 0.7] });
        var folder = Path.Combine(Path.GetTempPath(), $"cv-{Guid.NewGuid():N}");
        try
        {
            var read = CrossValidationReport.Read(report.Write(folder));

            Assert.Equal(report.Chosen.Setting, read.Chosen.Setting);
            Assert.Equal(report.AtChosen.Mean, read.AtChosen.Mean);
            Assert.Equal(report.Candidates.Count, read.Candidates.Count);
            Assert.Equal(3, read.Training.Epochs);
            Assert.Contains("\"min_mean_probability\"", File.ReadAllText(Path.Combine(folder, CrossValidationReport.FileName)), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A: 6 x 6 landslide (inner 4 x 4 at 0.9, edge at 0.62; mean 0.744) inside a ring of background at 0.4;
    /// B: 8 x 8 background at 0.3; D: 5 x 5 background at 0.6; three 1-px background speckles at 0.95.
    /// </summary>
    private static (float[] Probability, byte[] Mask) SyntheticTile()
    {
        var probability = new float[Size * Size];
        var mask = new byte[Size * Size];
        Fill(probability, 9, 9, 8, 0.4f);
        Fill(probability, 10, 10, 6, 0.62f);
        Fill(probability, 11, 11, 4, 0.9f);
        for (var r = 10; r < 16; r++)
        {
            for (var c = 10; c < 16; c++)
            {
                mask[(r * Size) + c] = 1;
            }
        }

        Fill(probability, 40, 40, 8, 0.3f);
        Fill(probability, 80, 80, 5, 0.6f);
        foreach (var (r, c) in new[] { (100, 5), (100, 20), (120, 120) })
        {
            Set(probability, r, c, 0.95f);
        }

        return (probability, mask);
    }

    private static float[] Speckles()
    {
        var probability = new float[Size * Size];
        foreach (var (r, c) in new[] { (3, 3), (60, 60), (90, 30) })
        {
            Set(probability, r, c, 0.95f);
        }

        return probability;
    }

    private static void Fill(float[] probability, int row, int col, int side, float value)
    {
        for (var r = row; r < row + side; r++)
        {
            for (var c = col; c < col + side; c++)
            {
                Set(probability, r, c, value);
            }
        }
    }

    private static void Set(float[] probability, int row, int col, float value) => probability[(row * Size) + col] = value;
}
