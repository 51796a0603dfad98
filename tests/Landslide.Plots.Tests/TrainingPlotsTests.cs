using System.Buffers.Binary;
using System.Text.Json;
using Landslide.TestSupport;
using Landslide.Training;
using Landslide.Training.Evaluation;

namespace Landslide.Plots.Tests;

/// <summary>The cross-validation plot (what `train --folds K` writes after the last fold), from fold histories.</summary>
public sealed class TrainingPlotsTests : IDisposable
{
    private readonly TempDirectory _folder = new("cv-plot");

    [Fact]
    public void WriteCrossValidation_DrawsEveryFold_AndRecordsTheirValidationF1()
    {
        var folds = Enumerable.Range(1, 3)
            .Select(k => ($"fold {k}", (IReadOnlyList<EpochSummary>)[.. Enumerable.Range(0, 4).Select(e => Epoch(e, 0.1 * k + (0.05 * e)))]))
            .ToList();

        var path = TrainingPlots.WriteCrossValidation(_folder.Path, folds);

        var png = File.ReadAllBytes(path);
        Assert.True(png.Length > 10_000);
        Assert.Equal(PlotSize.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(PlotSize.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var data = JsonDocument.Parse(File.ReadAllBytes(_folder.File("plots-cv.json"))).RootElement;
        foreach (var (fold, history) in folds)
        {
            var drawn = data.GetProperty(fold).GetProperty("validation_landslide_f1").EnumerateArray().Select(v => v.GetDouble());
            Assert.Equal(history.Select(h => h.Validation!.LandslideF1), drawn);
        }
    }

    public void Dispose() => _folder.Dispose();

    private static EpochSummary Epoch(int epoch, double f1) =>
        new(epoch, 1e-4, 1.0 / (epoch + 1), 10, 1.0, new SegmentationMetrics(0.5, default, f1, f1, f1, f1 / 2, 0.9, 0.8, (f1 + 0.9) / 2, ((f1 / 2) + 0.8) / 2));
}
