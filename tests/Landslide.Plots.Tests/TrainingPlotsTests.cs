using System.Buffers.Binary;
using System.Text.Json;
using Landslide.TestSupport;
using Landslide.Training;

namespace Landslide.Plots.Tests;

/// <summary>The cross-validation plot (what `train --folds K` writes after the last fold), from fold histories.</summary>
public sealed class TrainingPlotsTests : IDisposable
{
    private readonly TempDirectory _folder = new("cv-plot");

    [Fact]
    public void WriteCrossValidation_DrawsEveryFold_AndRecordsTheirTrainingLoss()
    {
        var folds = Enumerable.Range(1, 3)
            .Select(k => ($"fold {k}", (IReadOnlyList<EpochSummary>)[.. Enumerable.Range(0, 4).Select(e => Epoch(e, (1.0 / (e + 1)) + (0.1 * k)))]))
            .ToList();

        var path = TrainingPlots.WriteCrossValidation(_folder.Path, folds);

        var png = File.ReadAllBytes(path);
        Assert.True(png.Length > 10_000);
        Assert.Equal(PlotSize.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(PlotSize.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var data = JsonDocument.Parse(File.ReadAllBytes(_folder.File(PlotFiles.CrossValidationData))).RootElement;
        Assert.Equal(3, data.EnumerateObject().Count());
        foreach (var (fold, history) in folds)
        {
            var drawn = data.GetProperty(fold).GetProperty("loss").EnumerateArray().Select(v => v.GetDouble());
            Assert.Equal(history.Select(h => h.MeanLoss), drawn);
            Assert.Equal([1.0, 2, 3, 4], data.GetProperty(fold).GetProperty("epoch").EnumerateArray().Select(v => v.GetDouble()));
        }
    }

    public void Dispose() => _folder.Dispose();

    // Cross-validation folds train without a validation set: no metrics, only the loss.
    private static EpochSummary Epoch(int epoch, double loss) => new(epoch, 1e-4, loss, 10, 1.0, null, new HeadLosses(loss, loss, loss));
}
