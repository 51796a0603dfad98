using System.Globalization;
using Landslide.Training.CrossValidation;

namespace Landslide.Training.Job.Commands;

/// <summary>Prints what the product would output for a detection setting: pixel metrics after the filters, polygons, polygon-level precision.</summary>
internal static class DetectionLine
{
    public static string Format(DetectionScore score, IReadOnlyList<(string Id, int Polygons)> perTile)
    {
        var m = MetricSummary.Of(score.Pixels);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"detections ({score.Setting}): landslide P {m.Precision:F4} R {m.Recall:F4} F1 {m.F1:F4} IoU {m.IoU:F4}; two-class mean F1 {m.MeanF1:F4} mIoU {m.MeanIoU:F4}; " +
            $"{score.Polygons} polygons, polygon precision {score.PolygonPrecision:F4}; {score.PolygonsOnEmptyTiles} polygons on {score.EmptyTiles} tiles without landslide; " +
            $"polygons per tile: {string.Join(", ", perTile.Select(t => $"{t.Id}: {t.Polygons}"))}");
    }
}
