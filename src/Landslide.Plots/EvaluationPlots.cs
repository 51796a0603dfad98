using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Landslide.Training.Evaluation;
using ScottPlot;

namespace Landslide.Plots;

/// <summary>`landslide evaluate --plots DIR`: precision, recall and F1 against threshold, and the confusion matrix at the model's threshold.</summary>
public static class EvaluationPlots
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IReadOnlyList<string> Write(string directory, EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var sweep = report.Sweep.OrderBy(m => m.Threshold).ToList();
        var thresholds = sweep.Select(m => m.Threshold).ToArray();
        var precision = sweep.Select(m => m.LandslidePrecision).ToArray();
        var recall = sweep.Select(m => m.LandslideRecall).ToArray();
        var f1 = sweep.Select(m => m.LandslideF1).ToArray();
        TrainingPlots.Save(
            Path.Combine(directory, PlotFiles.ThresholdSweep),
            $"Threshold sweep, landslide class: {report.Dataset}",
            "score",
            p =>
            {
                TrainingPlots.Line(p, thresholds, precision, "precision");
                TrainingPlots.Line(p, thresholds, recall, "recall");
                TrainingPlots.Line(p, thresholds, f1, "F1");
                var chosen = p.Add.VerticalLine(report.AtThreshold.Threshold);
                chosen.LegendText = string.Create(CultureInfo.InvariantCulture, $"model threshold {report.AtThreshold.Threshold:0.##}");
                chosen.LinePattern = LinePattern.Dashed;
                p.Axes.SetLimits(0, 1, 0, 1);
            },
            xLabel: "threshold");

        var c = report.AtThreshold.Counts;
        TrainingPlots.Save(
            Path.Combine(directory, PlotFiles.ConfusionMatrix),
            string.Create(CultureInfo.InvariantCulture, $"Confusion matrix at threshold {report.AtThreshold.Threshold:0.##} (pixels)"),
            "truth",
            p => DrawMatrix(p, c),
            xLabel: "prediction");

        var data = new JsonObject
        {
            ["dataset"] = report.Dataset,
            ["threshold"] = report.AtThreshold.Threshold,
            ["sweep_threshold"] = TrainingPlots.Array(thresholds),
            ["sweep_precision"] = TrainingPlots.Array(precision),
            ["sweep_recall"] = TrainingPlots.Array(recall),
            ["sweep_f1"] = TrainingPlots.Array(f1),
            ["confusion"] = new JsonObject
            {
                ["true_positive"] = c.TruePositive,
                ["false_positive"] = c.FalsePositive,
                ["true_negative"] = c.TrueNegative,
                ["false_negative"] = c.FalseNegative,
            },
        };
        File.WriteAllText(Path.Combine(directory, PlotFiles.Data), data.ToJsonString(Indented));
        return [PlotFiles.ThresholdSweep, PlotFiles.ConfusionMatrix];
    }

    private static void DrawMatrix(Plot plot, ConfusionCounts c)
    {
        // Rows: truth landslide (top), background; columns: predicted landslide (left), background.
        (double X, double Y, long Count, string Name)[] cells =
        [
            (0, 1, c.TruePositive, "true positive"), (1, 1, c.FalseNegative, "false negative"),
            (0, 0, c.FalsePositive, "false positive"), (1, 0, c.TrueNegative, "true negative"),
        ];
        var max = Math.Max(1, cells.Max(x => x.Count));
        foreach (var (x, y, count, name) in cells)
        {
            var shade = 1 - (0.75 * Math.Log(1 + count) / Math.Log(1 + max));
            var rectangle = plot.Add.Rectangle(x, x + 1, y, y + 1);
            rectangle.FillColor = new Color((byte)(40 + (200 * shade)), (byte)(90 + (160 * shade)), (byte)(200 + (55 * shade)));
            rectangle.LineColor = Colors.Black;
            var text = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"{name}\n{count:N0}"), x + 0.5, y + 0.5);
            text.LabelAlignment = Alignment.MiddleCenter;
            text.LabelFontSize = 16;
        }

        plot.Axes.SetLimits(0, 2, 0, 2);
        plot.Axes.Bottom.SetTicks([0.5, 1.5], ["landslide", "background"]);
        plot.Axes.Left.SetTicks([0.5, 1.5], ["background", "landslide"]);
    }
}
