using System.Diagnostics;
using System.Globalization;
using Landslide.Core.Segmentation;
using Landslide.Inference;
using Landslide.Inference.Client;
using Landslide.InferenceServer;
using Landslide.TestSupport;
using Microsoft.Extensions.DependencyInjection;

// `memory SERVER_DLL LABEL TILES [settings]`: peak RSS of the server process under 64 concurrent maximal requests.
if (args.Length > 0 && args[0] == "memory")
{
    return await MemoryBench.RunAsync(args);
}

// Throughput and latency of the inference service against the in-process segmenter it wraps: the ratio is the
// service's overhead (HTTP, float16 conversion, batching). Each caller sends calls of TilesPerCall tiles.
const int TilesPerCall = 4;
const int CallsPerCaller = 12;
const string ApiKey = "bench-key-not-a-secret-0123456789abcdef";
var width = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 16;

using var models = new TempDirectory("inference-bench");
TinyOnnxModels.WriteVersionFolder(models.Path, "bench", TinyOnnxModels.Conv3x3Stack(width: width, layers: 3));
File.WriteAllText(Path.Combine(models.Path, "current.json"), """{"version":"bench"}""");

await using var app = InferenceServerApp.Build(
[
    "--urls", "http://127.0.0.1:0",
    "--Logging:LogLevel:Default=Warning",
    $"--InferenceServer:ModelsRoot={models.Path}",
    $"--InferenceServer:ApiKeys:0={ApiKey}",
    "--InferenceServer:MaxBatchTiles=16",
    "--InferenceServer:MaxBatchWait=00:00:00.002",
    "--InferenceServer:PreferCuda=true",
]);
await app.StartAsync();
var baseAddress = new Uri(app.Urls.First() + "/");

using var local = OnnxSegmenter.Open(new InferenceOptions { ModelPath = Path.Combine(models.Path, "bench"), BatchSize = 16 });
var features = new float[TilesPerCall * ModelContract.FeatureValuesPerTile];
for (var i = 0; i < features.Length; i++)
{
    features[i] = (i % 997) / 500f;
}

Console.WriteLine($"model: Conv3x3Stack width {width}, 3 layers; provider {local.ExecutionProvider}; {Environment.ProcessorCount} CPUs; {TilesPerCall} tiles per call, {CallsPerCaller} calls per caller");
Console.WriteLine("| path | callers | tiles/s | p50 ms | p99 ms |");
Console.WriteLine("|---|---|---|---|---|");

foreach (var callers in new[] { 1, 4, 16 })
{
    var inProcess = await Measure("in-process", callers, local);
    foreach (var (label, f16, f32out) in new[] { ("service f16->u8", true, false), ("service f32->f32", false, true) })
    {
        if (!f16 && callers != 4)
        {
            continue;
        }

        using var services = new ServiceCollection().AddLogging()
            .AddInferenceClient(o =>
            {
                o.BaseAddress = baseAddress;
                o.ApiKey = ApiKey;
                o.SendFloat16 = f16;
                o.ReceiveFloat32 = f32out;
                o.MaxConcurrentRequests = 16;
            }).Services.BuildServiceProvider();
        var client = services.GetRequiredService<InferenceClient>();
        await client.RefreshModelAsync(CancellationToken.None);
        var remote = await Measure(label, callers, client);
        Console.WriteLine($"|   ratio service/in-process ({label}, {callers}) | | {remote / inProcess:F2} | | |");
    }
}

Console.WriteLine();
Console.WriteLine($"request bytes per tile: float16 {ModelContract.FeatureValuesPerTile * 2:N0}, float32 {ModelContract.FeatureValuesPerTile * 4:N0}; answer per tile: uint8 {ModelContract.PixelsPerTile:N0}, float32 {ModelContract.PixelsPerTile * 4:N0}");
await app.StopAsync();
return 0;

async Task<double> Measure(string label, int callers, ITileSegmenter segmenter)
{
    var output = new float[callers][];
    for (var c = 0; c < callers; c++)
    {
        output[c] = new float[TilesPerCall * ModelContract.PixelsPerTile];
    }

    await segmenter.SegmentAsync(features, output[0], TilesPerCall, CancellationToken.None); // warm
    var latencies = new List<double>();
    var total = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
    {
        var mine = new List<double>();
        for (var i = 0; i < CallsPerCaller; i++)
        {
            var watch = Stopwatch.StartNew();
            await segmenter.SegmentAsync(features, output[c], TilesPerCall, CancellationToken.None);
            mine.Add(watch.Elapsed.TotalMilliseconds);
        }

        lock (latencies)
        {
            latencies.AddRange(mine);
        }
    })));
    total.Stop();
    latencies.Sort();
    var throughput = callers * CallsPerCaller * TilesPerCall / total.Elapsed.TotalSeconds;
    Console.WriteLine($"| {label} | {callers} | {throughput:F1} | {Percentile(latencies, 0.50):F0} | {Percentile(latencies, 0.99):F0} |");
    return throughput;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
