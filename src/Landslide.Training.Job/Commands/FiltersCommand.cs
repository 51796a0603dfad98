using System.CommandLine;
using System.Globalization;
using Landslide.CommandLine;
using Landslide.Core.Segmentation;
using Landslide.Inference;
using Landslide.Training.Data;

namespace Landslide.Training.Job.Commands;

/// <summary>
/// <c>landslide-train filters --data DIR [--ids ...] [--model PATH]</c>: how the detection filters (minimum polygon area,
/// minimum mean probability) change precision and recall on labelled patches, and the combination with the best
/// object-level F1. Defaults to the 15 training patches: the holdout is never used to choose filters.
/// </summary>
internal static class FiltersCommand
{
    private static readonly int[] Training = [1, 3, 16, 27, 28, 38, 41, 45, 72, 253, 300, 461, 512, 600, 800];
    private static readonly double[] Areas = [0, 200, 300, 500, 800, 1000, 1500, 2000];
    private static readonly double[] Means = [0, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];

    /// <summary>Landslide4Sense patches are about 10 m per pixel.</summary>
    private const double PixelAreaM2 = 100;

    public static Command Create()
    {
        var model = new Option<FileInfo?>("--model") { Description = "model.onnx beside its manifest.json (default: the embedded model)." };
        var data = new Option<DirectoryInfo>("--data") { Description = "Landslide4Sense folder with img/ and mask/.", Required = true };
        var ids = new Option<int[]>("--ids") { Description = "Patch ids (default: the 15 training patches).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("filters", "Sweep the detection filters (min polygon area, min mean probability) on labelled patches; prints precision/recall per combination.")
        {
            model, data, ids,
        };

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var modelPath = parse.GetValue(model);
                using var segmenter = modelPath is null
                    ? EmbeddedModel.Open(new InferenceOptions())
                    : OnnxSegmenter.Open(new InferenceOptions { ModelPath = modelPath.FullName });
                var chosen = parse.GetValue(ids) is { Length: > 0 } given ? given : Training;
                var source = new L4sPatchSource(parse.GetRequiredValue(data).FullName, chosen);
                var threshold = segmenter.Model.Threshold;
                var patches = new List<(float[] Probability, byte[] Mask)>();
                foreach (var id in source.Ids)
                {
                    var tile = source.Load(id);
                    var probability = new float[ModelContract.PixelsPerTile];
                    await segmenter.SegmentAsync(tile.Features, probability, 1, ct).ConfigureAwait(false);
                    patches.Add((probability, tile.Mask));
                }

                Console.WriteLine($"model {segmenter.Model.Version}, threshold {threshold}, patches {string.Join(" ", source.Ids)}");
                Console.WriteLine("min_area_m2  min_mean  polygons  obj_precision  obj_recall  obj_f1  px_precision  px_recall  px_f1");
                var best = (F1: -1.0, Area: 0.0, Mean: 0.0);
                foreach (var area in Areas)
                {
                    foreach (var mean in Means)
                    {
                        var s = Score(patches, threshold, area, mean);
                        Console.WriteLine(string.Create(
                            CultureInfo.InvariantCulture,
                            $"{area,11:F0}  {mean,8:F2}  {s.Kept,8}  {s.ObjectPrecision,13:F3}  {s.ObjectRecall,10:F3}  {s.ObjectF1,6:F3}  {s.PixelPrecision,12:F3}  {s.PixelRecall,9:F3}  {s.PixelF1,5:F3}"));
                        if (s.ObjectF1 > best.F1 + 1e-9)
                        {
                            best = (s.ObjectF1, area, mean);
                        }
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best object F1 {best.F1:F3}: --min-area {best.Area} --min-mean-probability {best.Mean}"));
            },
            cancellationToken));
        return command;
    }

    private static Scores Score(List<(float[] Probability, byte[] Mask)> patches, double threshold, double minArea, double minMean)
    {
        long kept = 0, keptTrue = 0, truths = 0, truthsHit = 0, tp = 0, fp = 0, fn = 0;
        foreach (var (probability, mask) in patches)
        {
            var detected = Components(i => probability[i] >= threshold && mask[i] != 255);
            var keep = new bool[ModelContract.PixelsPerTile];
            foreach (var component in detected)
            {
                var mean = component.Average(i => probability[i]);
                if (component.Count * PixelAreaM2 < minArea || mean < minMean)
                {
                    continue;
                }

                kept++;
                keptTrue += component.Any(i => mask[i] == 1) ? 1 : 0;
                foreach (var i in component)
                {
                    keep[i] = true;
                }
            }

            foreach (var truth in Components(i => mask[i] == 1))
            {
                truths++;
                truthsHit += truth.Any(i => keep[i]) ? 1 : 0;
            }

            for (var i = 0; i < keep.Length; i++)
            {
                if (mask[i] == 255)
                {
                    continue;
                }

                tp += keep[i] && mask[i] == 1 ? 1 : 0;
                fp += keep[i] && mask[i] == 0 ? 1 : 0;
                fn += !keep[i] && mask[i] == 1 ? 1 : 0;
            }
        }

        return new Scores(kept, Ratio(keptTrue, kept), Ratio(truthsHit, truths), Ratio(tp, tp + fp), Ratio(tp, tp + fn));
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;

    /// <summary>8-connected components of the pixels where <paramref name="inside"/> holds (as polygonize does).</summary>
    private static List<List<int>> Components(Func<int, bool> inside)
    {
        const int Size = ModelContract.TileSize;
        var seen = new bool[Size * Size];
        var components = new List<List<int>>();
        var stack = new Stack<int>();
        for (var start = 0; start < seen.Length; start++)
        {
            if (seen[start] || !inside(start))
            {
                continue;
            }

            var component = new List<int>();
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                component.Add(p);
                int x = p % Size, y = p / Size;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= Size || ny >= Size)
                        {
                            continue;
                        }

                        var n = (ny * Size) + nx;
                        if (!seen[n] && inside(n))
                        {
                            seen[n] = true;
                            stack.Push(n);
                        }
                    }
                }
            }

            components.Add(component);
        }

        return components;
    }

    private sealed record Scores(long Kept, double ObjectPrecision, double ObjectRecall, double PixelPrecision, double PixelRecall)
    {
        public double ObjectF1 => ObjectPrecision + ObjectRecall == 0 ? 0 : 2 * ObjectPrecision * ObjectRecall / (ObjectPrecision + ObjectRecall);

        public double PixelF1 => PixelPrecision + PixelRecall == 0 ? 0 : 2 * PixelPrecision * PixelRecall / (PixelPrecision + PixelRecall);
    }
}
