using System.Diagnostics;
using System.Globalization;
using Landslide.Inference;
using Landslide.Pipeline.Mapping;
using Landslide.Raster;
using Landslide.Pipeline.Samples;
using Landslide.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Benchmarks.Mapping;

/// <summary>
/// `map-scale [--size N] [--work DIR]`: maps a synthetic N x N scene (default 8192, 3.7 GB as float32) with a tiny
/// ONNX model and reports peak resident memory and throughput per stage. A process of its own, so the peak RSS
/// (VmHWM) is the mapping's: BenchmarkDotNet measures time, not peak memory of a streaming job. Generate the scene
/// in a first run (it is kept in --work), then measure in a second run, so generation does not count.
/// </summary>
internal static class MapScaleBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var size = ArgValue(args, "--size", 8192);
        var work = ArgText(args, "--work") ?? Path.Combine(Path.GetTempPath(), "landslide-map-scale");
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
        var modelPath = Path.Combine(work, "conv3x3.onnx");
        await File.WriteAllBytesAsync(modelPath, TinyOnnxModels.Conv3x3Stack(width: 4, layers: 2));
        using var segmenter = OnnxSegmenter.Open(new InferenceOptions { ModelPath = modelPath, BatchSize = 16 });
        var mapper = new SceneMapper(segmenter, NullLogger<SceneMapper>.Instance);
        var clock = Stopwatch.StartNew();
        var result = await mapper.MapAsync(new MapRequest(scenePath, Path.Combine(work, "out"), new MapOptions()), null, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        var megapixels = size * (double)size / 1e6;
        Console.WriteLine($"mapped {megapixels:F1} Mpx in {seconds:F1} s = {megapixels / seconds:F2} Mpx/s end to end ({result.Run.Counts.Tiles} tiles)");
        foreach (var (stage, s) in result.Run.TimingsSeconds.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {stage,-12} {s,8:F1} s  {megapixels / Math.Max(s, 1e-9),8:F1} Mpx/s");
        }

        Console.WriteLine($"peak RSS: {PeakRssBytes() / 1e6:F0} MB (before mapping: {rssBefore / 1e6:F0} MB)");
        return 0;
    }

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
