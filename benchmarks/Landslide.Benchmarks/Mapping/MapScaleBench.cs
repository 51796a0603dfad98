using System.Diagnostics;
using System.Globalization;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;
using Landslide.Inference;
using Landslide.Pipeline.Mapping;
using Landslide.Raster;
using Landslide.Pipeline.Samples;
using Landslide.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Benchmarks.Mapping;

/// <summary>
/// `map-scale [--size N] [--work DIR] [--engine pipelined|sequential|inference] [--model tiny|embedded] [--batch B]
/// [--threads T] [--inter T] [--spin 0|1] [--arena 0|1]`: maps a synthetic N x N scene (default 8192, 3.7 GB as float32) and reports peak resident memory
/// and throughput per stage. A process of its own, so the peak RSS (VmHWM) is the mapping's: BenchmarkDotNet measures
/// time, not peak memory of a streaming job. Generate the scene in a first run (it is kept in --work), then measure
/// in later runs, so generation does not count. `--engine inference` runs the inference stage alone: the scene's
/// tile count through the segmenter in batches, no reading, features, blending or writing: the floor a mapper can
/// reach. Each run prints one `RESULT` line for the tables in docs/BENCHMARKS.md.
/// </summary>
internal static class MapScaleBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var size = ArgValue(args, "--size", 8192);
        var work = ArgText(args, "--work") ?? Path.Combine(Path.GetTempPath(), "landslide-map-scale");
        var engine = ArgText(args, "--engine") ?? "pipelined";
        var modelName = ArgText(args, "--model") ?? "tiny";
        var batch = ArgValue(args, "--batch", 4);
        Directory.CreateDirectory(work);
        var scenePath = Path.Combine(work, SampleSceneWriter.SceneFileName);
        var generate = Stopwatch.StartNew();
        if (!File.Exists(scenePath) || ArgText(args, "--regenerate") is not null)
        {
            SampleSceneWriter.Write(work, size, seed: 11, CancellationToken.None);
            Console.WriteLine($"generated {scenePath} in {generate.Elapsed.TotalSeconds:F0} s; run again to measure the mapping on its own");
            return 0;
        }

        Console.WriteLine($"scene: {size} x {size} x 14 float32 = {size * (long)size * 14 * 4 / 1e9:F2} GB uncompressed");
        // As the CLI does: the mapper reads each strip once, so a large block cache only holds memory.
        GdalSettings.BlockCacheBytes = 256L << 20;
        var rssBefore = PeakRssBytes();
        var inference = new InferenceOptions
        {
            BatchSize = batch,
            IntraOpThreads = ArgValue(args, "--threads", 0),
            InterOpThreads = ArgValue(args, "--inter", 0),
            AllowSpinning = ArgValue(args, "--spin", 0) == 1,
            CpuMemoryArena = ArgValue(args, "--arena", 1) == 1,
        };
        using var segmenter = await OpenModelAsync(modelName, work, inference);
        var megapixels = size * (double)size / 1e6;
        var clock = Stopwatch.StartNew();
        if (engine == "inference")
        {
            var tiles = new TileGrid(size, size).TileCount;
            await InferenceAloneAsync(segmenter, tiles, batch);
            var alone = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"inference alone: {tiles} tiles in {alone:F1} s = {tiles / alone:F1} tiles/s");
            Console.WriteLine(Invariant($"RESULT size={size} model={modelName} engine=inference threads={inference.IntraOpThreads} inter={inference.InterOpThreads} spin={inference.AllowSpinning} arena={inference.CpuMemoryArena} batch={batch} wall_s={alone:F1} tiles_per_s={tiles / alone:F1} peak_rss_mb={PeakRssBytes() / 1e6:F0}"));
            return 0;
        }

        var options = new MapOptions
        {
            BatchSize = batch,
            Engine = engine == "sequential" ? MapEngine.Sequential : MapEngine.Pipelined,
        };
        var mapper = new SceneMapper(segmenter, NullLogger<SceneMapper>.Instance);
        var result = await mapper.MapAsync(new MapRequest(scenePath, Path.Combine(work, $"out-{engine}-{modelName}"), options), null, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"mapped {megapixels:F1} Mpx in {seconds:F1} s = {megapixels / seconds:F2} Mpx/s end to end ({result.Run.Counts.Tiles} tiles)");
        foreach (var (stage, s) in result.Run.TimingsSeconds.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {stage,-15} {s,8:F1} s  {megapixels / Math.Max(s, 1e-9),8:F1} Mpx/s");
        }

        var t = result.Run.TimingsSeconds;
        var peak = PeakRssBytes();
        Console.WriteLine($"peak RSS: {peak / 1e6:F0} MB (before mapping: {rssBefore / 1e6:F0} MB)");
        Console.WriteLine(Invariant(
            $"RESULT size={size} model={modelName} engine={engine} threads={inference.IntraOpThreads} spin={inference.AllowSpinning} arena={inference.CpuMemoryArena} batch={batch} wall_s={seconds:F1} tiles_s={t.GetValueOrDefault("tiles"):F1} inference_s={t.GetValueOrDefault("inference"):F1} inference_wait_s={t.GetValueOrDefault("inference_wait"):F1} cog_s={t.GetValueOrDefault("cog"):F1} polygonize_s={t.GetValueOrDefault("polygonize"):F1} peak_rss_mb={peak / 1e6:F0}"));
        return 0;
    }

    private static async Task<OnnxSegmenter> OpenModelAsync(string name, string work, InferenceOptions options)
    {
        if (name == "embedded")
        {
            return EmbeddedModel.Open(options);
        }

        var modelPath = Path.Combine(work, "conv3x3.onnx");
        await File.WriteAllBytesAsync(modelPath, TinyOnnxModels.Conv3x3Stack(width: 4, layers: 2));
        return OnnxSegmenter.Open(new InferenceOptions
        {
            ModelPath = modelPath,
            BatchSize = options.BatchSize,
            IntraOpThreads = options.IntraOpThreads,
            InterOpThreads = options.InterOpThreads,
            AllowSpinning = options.AllowSpinning,
            CpuMemoryArena = options.CpuMemoryArena,
        });
    }

    /// <summary>The segmenter over <paramref name="tiles"/> tiles in batches, from one reused feature buffer.</summary>
    private static async Task InferenceAloneAsync(ITileSegmenter segmenter, long tiles, int batch)
    {
        var features = new float[batch * ModelContract.FeatureValuesPerTile];
        var random = new Random(5);
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = random.NextSingle();
        }

        var probabilities = new float[batch * ModelContract.PixelsPerTile];
        for (long done = 0; done < tiles; done += batch)
        {
            var count = (int)Math.Min(batch, tiles - done);
            await segmenter.SegmentAsync(features, probabilities, count, CancellationToken.None);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static long PeakRssBytes()
    {
        // VmHWM: the resident set's high-water mark, in kB.
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static int ArgValue(string[] args, string name, int fallback) =>
        ArgText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? ArgText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i < 0 ? null : i + 1 < args.Length ? args[i + 1] : string.Empty;
    }
}
