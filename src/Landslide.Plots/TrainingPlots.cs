using System.Text.Json;
using System.Text.Json.Nodes;
using Landslide.Core.Segmentation;
using Landslide.Training;
using ScottPlot;

namespace Landslide.Plots;

/// <summary>
/// The plots of a training run, written beside its model: loss per epoch, validation landslide F1 and IoU per epoch,
/// learning rate per epoch; and, for cross-validation, all folds in one plot. The numbers drawn are written to
/// plots.json and the file names added to manifest.json (`plots`).
/// </summary>
public static class TrainingPlots
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the three per-run plots and plots.json into <paramref name="modelDirectory"/>, and lists them in its manifest.json.</summary>
    public static IReadOnlyList<string> Write(string modelDirectory, IReadOnlyList<EpochSummary> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var epochs = history.Select(h => (double)(h.Epoch + 1)).ToArray();
        var loss = history.Select(h => h.MeanLoss).ToArray();
        var rate = history.Select(h => h.LearningRate).ToArray();
        var validated = history.Where(h => h.Validation is not null).ToList();
        var validationEpochs = validated.Select(h => (double)(h.Epoch + 1)).ToArray();
        var f1 = validated.Select(h => h.Validation!.LandslideF1).ToArray();
        var iou = validated.Select(h => h.Validation!.LandslideIoU).ToArray();

        // Head losses are drawn when every epoch recorded them (a run resumed from an older checkpoint may lack them).
        var heads = history.All(h => h.Heads is not null) ? history.Select(h => h.Heads!).ToList() : null;
        var head256 = heads?.Select(h => h.Head256).ToArray();
        var head128 = heads?.Select(h => h.Head128).ToArray();
        var head64 = heads?.Select(h => h.Head64).ToArray();
        Save(Path.Combine(modelDirectory, PlotFiles.Loss), "Training loss per epoch: total (0.25 / 0.5 / 0.25 of the heads) and each head", "loss (mean over steps)", p =>
        {
            Line(p, epochs, loss, "total loss");
            if (heads is not null)
            {
                Line(p, epochs, head256!, "head 256 px");
                Line(p, epochs, head128!, "head 128 px");
                Line(p, epochs, head64!, "head 64 px");
            }
        });
        Save(Path.Combine(modelDirectory, PlotFiles.Validation), "Validation, landslide class", "score", p =>
        {
            Line(p, validationEpochs, f1, "landslide F1");
            Line(p, validationEpochs, iou, "landslide IoU");
            p.Axes.SetLimitsY(0, 1);
        });
        Save(Path.Combine(modelDirectory, PlotFiles.LearningRate), "Learning rate per epoch", "learning rate", p => Line(p, epochs, rate, "learning rate"));

        var data = new JsonObject
        {
            ["epoch"] = Array(epochs),
            ["loss"] = Array(loss),
            ["loss_head_256"] = heads is null ? null : Array(head256!),
            ["loss_head_128"] = heads is null ? null : Array(head128!),
            ["loss_head_64"] = heads is null ? null : Array(head64!),
            ["learning_rate"] = Array(rate),
            ["validation_epoch"] = Array(validationEpochs),
            ["validation_landslide_f1"] = Array(f1),
            ["validation_landslide_iou"] = Array(iou),
        };
        File.WriteAllText(Path.Combine(modelDirectory, PlotFiles.Data), data.ToJsonString(Indented));
        string[] names = [PlotFiles.Loss, PlotFiles.Validation, PlotFiles.LearningRate];
        ListInManifest(modelDirectory, names);
        return names;
    }

    /// <summary>
    /// One plot of every fold: training loss (total, mean over steps) per epoch, one colour per fold. Cross-validation
    /// folds train without a validation set, so loss is what every fold has. The numbers go to plots-cv.json.
    /// </summary>
    public static string WriteCrossValidation(string directory, IReadOnlyList<(string Fold, IReadOnlyList<EpochSummary> History)> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, PlotFiles.CrossValidation);
        var data = new JsonObject();
        Save(path, "Cross-validation: training loss per epoch, all folds", "loss (mean over steps)", p =>
        {
            foreach (var (fold, history) in folds)
            {
                var xs = history.Select(h => (double)(h.Epoch + 1)).ToArray();
                var ys = history.Select(h => h.MeanLoss).ToArray();
                Line(p, xs, ys, fold);
                data[fold] = new JsonObject { ["epoch"] = Array(xs), ["loss"] = Array(ys) };
            }
        });
        File.WriteAllText(Path.Combine(directory, PlotFiles.CrossValidationData), data.ToJsonString(Indented));
        return path;
    }

    internal static void Save(string path, string title, string yLabel, Action<Plot> draw, string xLabel = "epoch")
    {
        using var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        draw(plot);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, PlotSize.Width, PlotSize.Height);
    }

    internal static void Line(Plot plot, double[] xs, double[] ys, string label)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.MarkerSize = 5;
        line.LineWidth = 2;
    }

    internal static JsonArray Array(IEnumerable<double> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static void ListInManifest(string modelDirectory, IReadOnlyList<string> names)
    {
        var path = Path.Combine(modelDirectory, ModelManifest.FileName);
        if (!File.Exists(path))
        {
            return;
        }

        // Only the `plots` member changes; the rest of the manifest (and the model's sha256) stays as written.
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        manifest["plots"] = new JsonArray([.. names.Select(n => (JsonNode?)JsonValue.Create(n))]);
        File.WriteAllText(path, manifest.ToJsonString(Indented));
    }
}
