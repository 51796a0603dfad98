using System.CommandLine;
using Landslide.Inference;
using Landslide.Training.Data;
using Landslide.Training.Evaluation;

namespace Landslide.Cli.Commands;

/// <summary><c>landslide evaluate --model PATH --data DIR [--ids ...]</c>: metrics of an ONNX model on labelled patches.</summary>
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
        var command = new Command("evaluate", "Evaluate a model on labelled patches: landslide P/R/F1/IoU and the two-class means, with a threshold sweep.")
        {
            model, data, ids, threshold, plots,
        };

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                using var loggers = CliLogging.Create();
                var modelPath = parse.GetValue(model);
                using var segmenter = modelPath is null
                    ? EmbeddedModel.Open(new InferenceOptions())
                    : OnnxSegmenter.Open(new InferenceOptions { ModelPath = modelPath.FullName });
                var chosen = parse.GetValue(ids) is { Length: > 0 } given ? given : Holdout;
                var source = new L4sPatchSource(parse.GetRequiredValue(data).FullName, chosen);
                var tiles = source.Ids.Select(source.Load).ToList();
                var report = await Evaluator.EvaluateAsync(
                    segmenter, tiles, parse.GetValue(threshold) ?? segmenter.Model.Threshold, $"{segmenter.Model.Version} on {string.Join(", ", source.Ids)}", ct)
                    .ConfigureAwait(false);
                MetricsTable.Write(report);
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
