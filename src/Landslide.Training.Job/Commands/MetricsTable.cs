using Landslide.Training.Evaluation;
using Spectre.Console;

namespace Landslide.Training.Job.Commands;

/// <summary>Prints an evaluation report: the landslide-class (leaderboard) metrics and the two-class means, labelled.</summary>
internal static class MetricsTable
{
    public static void Write(EvaluationReport report)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(report.Dataset)}[/] ({report.TileIds.Count} tiles, pooled pixel counts)");
        table.AddColumns("threshold", "LS P", "LS R", "LS F1", "LS IoU", "mean F1", "mIoU");
        foreach (var m in report.Sweep.Prepend(report.AtThreshold).DistinctBy(m => m.Threshold).OrderBy(m => m.Threshold))
        {
            var mark = m.Threshold == report.AtThreshold.Threshold ? " *" : string.Empty;
            table.AddRow(
                $"{m.Threshold:F2}{mark}", Percent(m.LandslidePrecision), Percent(m.LandslideRecall), Percent(m.LandslideF1),
                Percent(m.LandslideIoU), Percent(m.MeanF1), Percent(m.MeanIoU));
        }

        table.Caption("%: LS = landslide class (LS F1 is the Landslide4Sense leaderboard metric); mean F1 / mIoU average background and landslide (what the paper reports). * = the model's threshold.");
        AnsiConsole.Write(table);
    }

    private static string Percent(double value) => $"{value * 100:F2}";
}
