using System.Globalization;
using Landslide.CommandLine;
using Landslide.Training;
using Landslide.Training.CrossValidation;
using Landslide.Training.Data;

namespace Landslide.Training.Job.Commands;

/// <summary>
/// <c>landslide-train train --folds K</c>: cross-validation on the training patches only (the holdout is never read), the
/// CV table, and the out-of-fold choice of threshold, minimum area and minimum mean probability.
/// </summary>
internal static class CrossValidationRun
{
    public static async Task RunAsync(string dataDirectory, TrainingOptions training, int folds, string? outDirectory, Microsoft.Extensions.Logging.LogLevel logLevel, CancellationToken cancellationToken)
    {
        using var loggers = CliLogging.Create(logLevel);
        var holdout = new TrainingJobOptions { DataDirectory = dataDirectory }.HoldoutIds;
        var all = new L4sPatchSource(dataDirectory);
        var trainIds = all.Ids.Select(id => int.Parse(id, CultureInfo.InvariantCulture)).Except(holdout).ToList();
        FoldSplit.EnsureNoHoldout(trainIds.Select(id => id.ToString(CultureInfo.InvariantCulture)), holdout.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        var source = new L4sPatchSource(dataDirectory, trainIds);
        var tiles = source.Ids.Select(source.Load).ToList();
        var result = await Task.Run(() => new CrossValidator(loggers).Run(tiles, training, folds, outDirectory, cancellationToken), cancellationToken).ConfigureAwait(false);
        var report = CrossValidationReport.Create(result, training);
        Console.WriteLine(CrossValidationTableWriter.Format($"{folds}-fold cross-validation at the recipe threshold, no filters", report.AtTrainingThreshold, result.Folds));
        Console.WriteLine(CrossValidationTableWriter.Format($"{folds}-fold cross-validation at the setting chosen on the pooled out-of-fold predictions", report.AtChosen, result.Folds));
        Console.WriteLine(FormattableString.Invariant(
            $"chosen out-of-fold ({report.Candidates.Count} settings tried): --threshold {report.Chosen.Setting.Threshold} --min-area-m2 {report.Chosen.Setting.MinAreaM2} --min-mean-probability {report.Chosen.Setting.MinMeanProbability}"));
        if (outDirectory is not null)
        {
            Console.WriteLine($"cross-validation report -> {report.Write(outDirectory)}");
            WriteFoldPlot(outDirectory, result.Folds);
        }
    }

    /// <summary>
    /// plot-cv-folds.png + plots-cv.json: the training loss of every fold trained in this run. Folds reused from a
    /// previous run have no history here; when all are reused the plot of the run that trained them stays.
    /// </summary>
    private static void WriteFoldPlot(string outDirectory, IReadOnlyList<FoldOutcome> folds)
    {
        var trained = folds.Where(f => f.History is { Count: > 0 }).Select(f => ($"fold {f.Fold}", f.History!)).ToList();
        if (trained.Count == 0)
        {
            Console.WriteLine("cross-validation plot: every fold was reused, the existing plot is kept");
            return;
        }

        Console.WriteLine($"cross-validation plot ({trained.Count} of {folds.Count} folds trained in this run) -> {Landslide.Plots.TrainingPlots.WriteCrossValidation(outDirectory, trained)}");
    }
}
