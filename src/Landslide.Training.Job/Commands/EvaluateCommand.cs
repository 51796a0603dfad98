using System.CommandLine;
using Landslide.CommandLine;
using Landslide.Inference;
using Landslide.Training.CrossValidation;
using Landslide.Training.Data;
using Landslide.Training.Evaluation;
using Microsoft.Extensions.Logging;

namespace Landslide.Training.Job.Commands;

/// <summary><c>landslide-train evaluate --model PATH --data DIR [--ids ...]</c>: metrics of an ONNX model on labelled patches.</summary>
internal static class EvaluateCommand
{
    private static readonly int[] Holdout = [2, 40, 150, 525, 700, 902];

    public static Command Create()
    {
        var model = new Option<FileSystemInfo?>("--model") { Description = "A model folder (model.onnx + manifest.json) or a .onnx file (default: the embedded model)." };
        var data = new Option<DirectoryInfo>("--data") { Description = "Landslide4Sense folder with img/ and mask/.", Required = true };
        var ids = new Option<int[]>("--ids") { Description = "Patch ids to evaluate (default: the frozen holdout).", AllowMultipleArgumentsPerToken = true };
        var threshold = new Option<double?>("--threshold") { Description = "Threshold (default: the model's)." };
        var plots = new Option<DirectoryInfo?>("--plots") { Description = "Write the threshold sweep and confusion matrix as PNG (and plots.json) into this folder." };
        var minArea = new Option<double?>("--min-area-m2") { Description = "Minimum polygon area for the detection figures (default: the model's manifest, else none)." };
        var minMean = new Option<double?>("--min-mean-probability") { Description = "Minimum mean polygon probability for the detection figures (default: the model's manifest, else none)." };
        var command = new Command("evaluate", "Evaluate a model on labelled patches: landslide P/R/F1/IoU and the two-class means, with a threshold sweep, and the detections after the polygon filters.")
        {
            model, data, ids, threshold, minArea, minMean, plots,
        };

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                using var loggers = CliLogging.Create(parse);
                var modelPath = parse.GetValue(model);
                using var segmenter = modelPath is null
                    ? EmbeddedModel.Open(new InferenceOptions(), loggers.CreateLogger<OnnxSegmenter>())
                    : OnnxSegmenter.Open(new InferenceOptions { ModelPath = modelPath.FullName }, loggers.CreateLogger<OnnxSegmenter>());
                var chosen = parse.GetValue(ids) is { Length: > 0 } given ? given : Holdout;
                var source = new L4sPatchSource(parse.GetRequiredValue(data).FullName, chosen);
                var tiles = source.Ids.Select(source.Load).ToList();
                var manifest = modelPath is null ? EmbeddedModel.ReadManifest() : modelPath is DirectoryInfo folder ? ModelManifestLoader.Load(folder.FullName) : null;
                var probabilities = await Evaluator.PredictAsync(segmenter, tiles, ct).ConfigureAwait(false);
                var setting = new DetectionSetting
                {
                    Threshold = parse.GetValue(threshold) ?? segmenter.Model.Threshold,
                    MinAreaM2 = parse.GetValue(minArea) ?? manifest?.MinAreaM2 ?? 0,
                    MinMeanProbability = parse.GetValue(minMean) ?? manifest?.MinMeanProbability ?? 0,
                };
                OptionsCheck.Validate(setting);
                var report = Evaluator.Report(tiles, probabilities, setting.Threshold, $"{segmenter.Model.Version} on {string.Join(", ", source.Ids)}");
                MetricsTable.Write(report);
                var predictions = tiles.Select((t, i) => new TilePrediction(t.Id, probabilities[i], t.Mask)).ToList();
                Console.WriteLine(DetectionLine.Format(DetectionScorer.Score(predictions, setting), [.. predictions.Select(p => (p.Id, DetectionScorer.Score([p], setting).Polygons))]));
                if (parse.GetValue(plots) is { } plotDir)
                {
                    foreach (var name in Landslide.Plots.EvaluationPlots.Write(plotDir.FullName, report))
                    {
                        Console.WriteLine($"plot -> {Path.Combine(plotDir.FullName, name)}");
                    }
                }
            },
            cancellationToken));
        return command;
    }
}
