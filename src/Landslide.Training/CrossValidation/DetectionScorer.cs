using Landslide.Training.Evaluation;

namespace Landslide.Training.CrossValidation;

/// <summary>
/// Scores detection settings on labelled predictions: pooled pixel metrics after the polygon filters, polygon-level
/// precision and polygons on tiles without landslides. The components of a threshold are found once and reused for
/// every filter combination.
/// </summary>
public static class DetectionScorer
{
    /// <summary>Area of one Landslide4Sense pixel (10 m x 10 m).</summary>
    public const double L4sPixelAreaM2 = 100;

    /// <summary>Scores one setting.</summary>
    public static DetectionScore Score(IReadOnlyList<TilePrediction> predictions, DetectionSetting setting, double pixelAreaM2 = L4sPixelAreaM2)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(setting);
        var tiles = Prepare(predictions, setting.Threshold);
        return Score(tiles, setting, pixelAreaM2);
    }

    internal static List<PreparedTile> Prepare(IReadOnlyList<TilePrediction> predictions, double threshold)
        => [.. predictions.Select(p => PreparedTile.From(p, threshold))];

    internal static DetectionScore Score(IReadOnlyList<PreparedTile> tiles, DetectionSetting setting, double pixelAreaM2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pixelAreaM2);
        long tp = 0, fp = 0, positives = 0, valid = 0;
        int polygons = 0, touching = 0, emptyTiles = 0, onEmpty = 0;
        foreach (var tile in tiles)
        {
            positives += tile.Positives;
            valid += tile.Valid;
            var empty = tile.Positives == 0;
            emptyTiles += empty ? 1 : 0;
            foreach (var c in tile.Components)
            {
                if (c.Pixels * pixelAreaM2 < setting.MinAreaM2 || c.MeanProbability < setting.MinMeanProbability)
                {
                    continue;
                }

                polygons++;
                touching += c.LandslidePixels > 0 ? 1 : 0;
                onEmpty += empty ? 1 : 0;
                tp += c.LandslidePixels;
                fp += c.BackgroundPixels;
            }
        }

        var fn = positives - tp;
        var counts = new ConfusionCounts(tp, fp, valid - tp - fp - fn, fn);
        return new DetectionScore(setting, SegmentationMetrics.From(counts, setting.Threshold), polygons, touching, emptyTiles, onEmpty);
    }

    internal sealed record PreparedTile(string Id, int Fold, long Positives, long Valid, List<DetectionComponents.Component> Components)
    {
        public static PreparedTile From(TilePrediction prediction, double threshold)
        {
            long positives = 0, valid = 0;
            foreach (var label in prediction.Mask)
            {
                positives += label == 1 ? 1 : 0;
                valid += label <= 1 ? 1 : 0;
            }

            return new PreparedTile(prediction.Id, prediction.Fold, positives, valid, DetectionComponents.Find(prediction.Probability, prediction.Mask, threshold));
        }
    }
}
