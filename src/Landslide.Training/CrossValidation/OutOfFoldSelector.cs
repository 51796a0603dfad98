namespace Landslide.Training.CrossValidation;

/// <summary>
/// Chooses the threshold, minimum polygon area and minimum mean polygon probability on pooled out-of-fold
/// predictions of the training tiles (never on a holdout). Objective: landslide F1 of the pooled pixel counts after
/// the polygon filters (the Landslide4Sense metric of what the product outputs); ties go to the higher polygon-level
/// precision, then to the setting listed first in the grid (lower threshold, smaller filters).
/// </summary>
public static class OutOfFoldSelector
{
    public static DetectionSelection Select(IReadOnlyList<TilePrediction> predictions, DetectionGrid? grid = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Count == 0)
        {
            throw new ArgumentException("no predictions to choose on", nameof(predictions));
        }

        grid ??= DetectionGrid.Default;
        var candidates = new List<DetectionScore>();
        DetectionScore? best = null;
        foreach (var threshold in grid.Thresholds)
        {
            var tiles = DetectionScorer.Prepare(predictions, threshold);
            foreach (var minArea in grid.MinAreasM2)
            {
                foreach (var minMean in grid.MinMeanProbabilities.Where(p => p == 0 || p > threshold))
                {
                    var setting = new DetectionSetting { Threshold = threshold, MinAreaM2 = minArea, MinMeanProbability = minMean };
                    var score = DetectionScorer.Score(tiles, setting, grid.PixelAreaM2);
                    candidates.Add(score);
                    if (best is null || IsBetter(score, best))
                    {
                        best = score;
                    }
                }
            }
        }

        return new DetectionSelection(best ?? throw new ArgumentException("the grid is empty", nameof(grid)), candidates);
    }

    private static bool IsBetter(DetectionScore candidate, DetectionScore best)
    {
        if (candidate.Pixels.LandslideF1 != best.Pixels.LandslideF1)
        {
            return candidate.Pixels.LandslideF1 > best.Pixels.LandslideF1;
        }

        return candidate.PolygonPrecision > best.PolygonPrecision;
    }
}
