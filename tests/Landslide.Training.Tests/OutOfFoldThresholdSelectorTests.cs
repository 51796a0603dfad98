using Landslide.TestSupport;
using Landslide.Training.CrossValidation;
using Landslide.Training.Retraining;

namespace Landslide.Training.Tests;

public sealed class OutOfFoldThresholdSelectorTests
{
    [RealDataFact]
    public void Select_ChoosesOnOutOfFoldPredictionsOfTheTrainingTilesOnly()
    {
        var tiles = RealTiles.TrainTiles.Take(4).ToList();
        var selector = new OutOfFoldThresholdSelector(folds: 2);

        var threshold = selector.Select(tiles, RetrainData.TinyOptions().Training, defaultThreshold: 0.123, CancellationToken.None);

        var report = Assert.IsType<CrossValidationReport>(selector.LastReport);
        Assert.Equal(report.Chosen.Setting.Threshold, threshold);
        Assert.Contains(threshold, new DetectionGrid().Thresholds);
        Assert.NotEqual(0.123, threshold);
        // Every out-of-fold prediction comes from a tile it was given, each exactly once: nothing else was scored.
        Assert.Equal(tiles.Select(t => t.Id).Order(), report.Folds.SelectMany(f => f.TestIds).Order());
    }

    [RealDataFact]
    public void Select_WithFewerTilesThanFolds_KeepsTheDefault_WithoutTraining()
    {
        var selector = new OutOfFoldThresholdSelector(folds: 5);

        var threshold = selector.Select(RealTiles.TrainTiles.Take(3).ToList(), RetrainData.TinyOptions().Training, defaultThreshold: 0.6, CancellationToken.None);

        Assert.Equal(0.6, threshold);
        Assert.Null(selector.LastReport);
    }
}
