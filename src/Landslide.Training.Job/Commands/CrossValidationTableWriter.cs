using System.Globalization;
using System.Text;
using Landslide.Training.CrossValidation;

namespace Landslide.Training.Job.Commands;

/// <summary>
/// Prints a CV table as Markdown (readable in a terminal at any width, pasteable into docs): per fold, mean +- sd
/// over folds and the pooled out-of-fold row, both metric kinds labelled.
/// </summary>
internal static class CrossValidationTableWriter
{
    public static string Format(string title, CrossValidationTable cv, IReadOnlyList<FoldOutcome> folds)
    {
        var text = new StringBuilder();
        Line(text, $"{title}: {cv.Setting}");
        Line(text, string.Empty);
        Line(text, "| fold | test tiles | LS P | LS R | LS F1 | LS IoU | mean F1 | mIoU | polygons | polygon P |");
        Line(text, "|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in cv.Folds)
        {
            var m = MetricSummary.Of(row.Score.Pixels);
            var ids = folds.FirstOrDefault(f => f.Fold == row.Fold)?.TestIds ?? [];
            Line(text, $"| {row.Fold} | {string.Join(", ", ids)} | {P(m.Precision)} | {P(m.Recall)} | {P(m.F1)} | {P(m.IoU)} | {P(m.MeanF1)} | {P(m.MeanIoU)} | {row.Score.Polygons} | {P(row.Score.PolygonPrecision)} |");
        }

        var (mean, sd) = (cv.Mean, cv.StandardDeviation);
        Line(text, $"| mean +- sd | | {S(mean.Precision, sd.Precision)} | {S(mean.Recall, sd.Recall)} | {S(mean.F1, sd.F1)} | {S(mean.IoU, sd.IoU)} | {S(mean.MeanF1, sd.MeanF1)} | {S(mean.MeanIoU, sd.MeanIoU)} | | |");
        var pooled = MetricSummary.Of(cv.Pooled.Pixels);
        Line(text, $"| pooled OOF | all | {P(pooled.Precision)} | {P(pooled.Recall)} | {P(pooled.F1)} | {P(pooled.IoU)} | {P(pooled.MeanF1)} | {P(pooled.MeanIoU)} | {cv.Pooled.Polygons} | {P(cv.Pooled.PolygonPrecision)} |");
        Line(text, string.Empty);
        Line(
            text,
            $"%: LS = landslide class (Landslide4Sense metric); mean F1 / mIoU = two-class means (the paper's figure); pixel counts pooled " +
            $"per fold after the polygon filters; sd over folds (n - 1); polygon P = kept polygons touching a true landslide / kept polygons; " +
            $"polygons on the {cv.Pooled.EmptyTiles} tiles without landslide: {cv.Pooled.PolygonsOnEmptyTiles}.");
        return text.ToString();
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string P(double value) => (value * 100).ToString("F2", CultureInfo.InvariantCulture);

    private static string S(double mean, double sd) => $"{P(mean)} +- {P(sd)}";
}
