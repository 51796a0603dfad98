using System.CommandLine;
using Landslide.CommandLine;
using Landslide.Inference;
using Landslide.Pipeline.Mapping;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Landslide.Cli.Commands;

/// <summary><c>landslide map SCENE -o DIR [--json] [...]</c>: the whole flow in process on ONNX Runtime CPU.</summary>
internal static class MapCommand
{
    public static Command Create()
    {
        var scene = new Argument<FileInfo>("scene") { Description = "The scene: a 14-band GeoTIFF/COG in a projected CRS." };
        var output = CommonOptions.OutDirectory("Folder for the outputs.");
        var json = CommonOptions.Json();
        var model = new Option<FileInfo?>("--model") { Description = "model.onnx beside its manifest.json (default: the embedded model)." };
        var overlap = new Option<int>("--overlap") { Description = "Pixels shared by neighbouring tiles.", DefaultValueFactory = _ => RunDefaults.Overlap };
        var threshold = new Option<double?>("--threshold") { Description = "Landslide probability threshold (default: the model's)." };
        var batch = new Option<int>("--batch") { Description = "Tiles per inference call (default 4: on CPU larger batches are no faster and grow ONNX Runtime's memory arena).", DefaultValueFactory = _ => RunDefaults.BatchSize };
        var profile = new Option<string>("--profile") { Description = "Band profile: l4s or s2-l2a-dn.", DefaultValueFactory = _ => RunDefaults.BandProfile };
        var minArea = new Option<double?>("--min-area") { Description = "Smallest polygon kept, in m2 (default: the model's, else 800)." };
        var minMean = new Option<double?>("--min-mean-probability") { Description = "Lowest mean probability of a kept polygon (default: the model's, else 0.75)." };
        var command = new Command("map", "Map landslides in one scene: mask.tif, probability.tif, landslides.geojson, quicklook.png, run.json.")
        {
            scene, output, model, overlap, threshold, batch, profile, minArea, minMean, json,
        };

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var options = new MapOptions
                {
                    Overlap = parse.GetValue(overlap),
                    Threshold = parse.GetValue(threshold),
                    BatchSize = parse.GetValue(batch),
                    BandProfile = parse.GetRequiredValue(profile),
                    MinAreaM2 = parse.GetValue(minArea),
                    MinMeanProbability = parse.GetValue(minMean),
                };
                OptionsCheck.Validate(options);
                var scenePath = parse.GetRequiredValue(scene);
                if (!scenePath.Exists)
                {
                    throw new FileNotFoundException($"scene not found: {scenePath.FullName}", scenePath.FullName);
                }

                using var loggers = CliLogging.Create(parse);
                var inference = new InferenceOptions { BatchSize = options.BatchSize };
                var modelPath = parse.GetValue(model);
                using var segmenter = modelPath is null
                    ? EmbeddedModel.Open(inference, loggers.CreateLogger<OnnxSegmenter>())
                    : OnnxSegmenter.Open(new InferenceOptions { BatchSize = options.BatchSize, ModelPath = modelPath.FullName }, loggers.CreateLogger<OnnxSegmenter>());
                var mapper = new SceneMapper(segmenter, loggers.CreateLogger<SceneMapper>());
                // The path as the user typed it: messages (a rejected scene) name the file the way the user knows it.
                var request = new MapRequest(scenePath.ToString(), parse.GetRequiredValue(output).FullName, options);
                var result = await ProgressDisplay.RunAsync(progress => mapper.MapAsync(request, progress, ct)).ConfigureAwait(false);
                var counts = result.Run.Counts;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(new MapSummary(result.OutputDirectory, counts.Polygons, counts.LandslideAreaM2, counts.LandslidePixels, counts.ValidPixels));
                    return;
                }

                Console.WriteLine(
                    $"{counts.Polygons} landslide polygons, {counts.LandslideAreaM2:F0} m2, {counts.LandslidePixels} of {counts.ValidPixels} valid pixels -> {result.OutputDirectory}");
            },
            cancellationToken));
        return command;
    }

    /// <summary>`map --json`: where the outputs are and what was found.</summary>
    private sealed record MapSummary(string OutputDirectory, long Polygons, double LandslideAreaM2, long LandslidePixels, long ValidPixels);
}
