using System.Diagnostics;
using System.Globalization;
using System.Text;
using Landslide.Core.Segmentation;
using Landslide.Gpu.Bench;
using Landslide.Inference;
using Landslide.Inference.Client;
using Landslide.InferenceServer;
using Landslide.TestSupport;
using Landslide.Training.Export;
using Landslide.Training.Modeling;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

// Tiles/s of the RAU-Net at several widths and batch sizes on the inference provider this build carries (CUDA when
// built with -p:OnnxRuntimeFlavor=Gpu on a machine with a GPU, CPU otherwise), in process and through the inference
// service, plus GPU memory from nvidia-smi. The models are untrained (random initialisation, exported by the
// training exporter): only speed is measured, and speed does not depend on the weights. Writes a markdown fragment.
// Usage: Landslide.Gpu.Bench --widths 8,32,128 --batches 8,16,32,64 --calls 20 --service-batch 32 --out FILE [--command TEXT]
var widths = Ints(Arg("--widths") ?? "8,32,128");
var batches = Ints(Arg("--batches") ?? "8,16,32,64");
var calls = int.Parse(Arg("--calls") ?? "20", CultureInfo.InvariantCulture);
var serviceBatch = int.Parse(Arg("--service-batch") ?? "32", CultureInfo.InvariantCulture);
var output = Arg("--out") ?? "gpu-bench.md";
var command = Arg("--command") ?? "benchmarks/gpu.sh";
const int Callers = 4;
// At least 32 characters: the server refuses shorter keys at start.
const string ApiKey = "gpu-bench-key-not-a-secret-0123456789";

var gpu = NvidiaSmi.GpuName();
var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {(gpu ?? "no NVIDIA GPU (CPU fallback)")}, {Environment.ProcessorCount} CPU cores, .NET {Environment.Version}; date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
report.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{command}` (widths {string.Join(", ", widths)}; batches {string.Join(", ", batches)}); {calls} timed calls per cell after one warm-up call.");
report.AppendLine("- Models: untrained RAU-Nets (random initialisation) exported by `OnnxExporter`, float16 variants by `Float16Variant`; speed does not depend on the weights.");
report.AppendLine();
report.AppendLine("| width | model | batch | provider | tiles/s in process | GPU memory MB (process) |");
report.AppendLine("|---|---|---|---|---|---|");

var features = new float[batches.Append(serviceBatch).Max() * ModelContract.FeatureValuesPerTile];
var random = new Random(1);
for (var i = 0; i < features.Length; i++)
{
    features[i] = random.NextSingle();
}

var probabilities = new float[features.Length / ModelContract.FeatureChannels];
var service = new List<string>();
foreach (var width in widths)
{
    byte[] float32;
    manual_seed(width);
    using (var model = new RauNet(new RauNetOptions { Width = width }))
    {
        model.eval();
        float32 = OnnxExporter.ToBytes(model);
    }

    var float16 = Float16Variant.Convert(float32);
    double inProcessAtServiceBatch = 0;
    foreach (var (label, bytes) in new[] { ("float32", float32), ("float16", float16) })
    {
        foreach (var batch in batches.Append(serviceBatch).Distinct().Order())
        {
            if (!batches.Contains(batch) && label != "float32")
            {
                continue;
            }

            using var segmenter = OnnxSegmenter.FromBytes(bytes, null, new InferenceOptions { BatchSize = batch, PreferCuda = true });
            var tilesPerSecond = await MeasureAsync(segmenter, batch, calls, 1);
            if (label == "float32" && batch == serviceBatch)
            {
                inProcessAtServiceBatch = tilesPerSecond;
            }

            if (batches.Contains(batch))
            {
                var memory = NvidiaSmi.ProcessMemoryMb(Environment.ProcessId);
                report.AppendLine(CultureInfo.InvariantCulture, $"| {width} | {label} | {batch} | {segmenter.ExecutionProvider} | {tilesPerSecond:F1} | {(memory is { } m ? m.ToString(CultureInfo.InvariantCulture) : "n/a")} |");
                Console.WriteLine($"width {width} {label} batch {batch}: {tilesPerSecond:F1} tiles/s on {segmenter.ExecutionProvider}");
            }
        }
    }

    var serviceTilesPerSecond = await MeasureServiceAsync(float32, width, serviceBatch, calls);
    service.Add(string.Create(
        CultureInfo.InvariantCulture,
        $"| {width} | {serviceBatch} | {inProcessAtServiceBatch:F1} | {serviceTilesPerSecond:F1} | {serviceTilesPerSecond / inProcessAtServiceBatch:F2} |"));
}

report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Service vs in process (float32 model; {Callers} concurrent callers over HTTP on 127.0.0.1, float16 requests, uint8 answers; server MaxBatchTiles = batch):");
report.AppendLine();
report.AppendLine("| width | batch | in process tiles/s | service tiles/s | service / in process |");
report.AppendLine("|---|---|---|---|---|");
foreach (var line in service)
{
    report.AppendLine(line);
}

report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Host working set of the bench process at the end: {Environment.WorkingSet / 1_000_000} MB; GPU memory used in total at the end: {NvidiaSmi.TotalMemoryUsedMb()?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} MB.");
await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine($"wrote {output}");
return 0;

async Task<double> MeasureAsync(ITileSegmenter segmenter, int batch, int count, int callers)
{
    var outputs = Enumerable.Range(0, callers).Select(_ => new float[batch * ModelContract.PixelsPerTile]).ToArray();
    await segmenter.SegmentAsync(features.AsMemory(0, batch * ModelContract.FeatureValuesPerTile), outputs[0], batch, CancellationToken.None);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
    {
        for (var i = 0; i < count; i++)
        {
            await segmenter.SegmentAsync(features.AsMemory(0, batch * ModelContract.FeatureValuesPerTile), outputs[c], batch, CancellationToken.None);
        }
    })));
    return callers * count * batch / clock.Elapsed.TotalSeconds;
}

async Task<double> MeasureServiceAsync(byte[] model, int width, int batch, int count)
{
    using var models = new TempDirectory("gpu-bench");
    TinyOnnxModels.WriteVersionFolder(models.Path, $"rau{width}", model);
    await File.WriteAllTextAsync(Path.Combine(models.Path, "current.json"), $$"""{"version":"rau{{width}}"}""");
    await using var app = InferenceServerApp.Build(
    [
        "--urls", "http://127.0.0.1:0",
        "--Logging:LogLevel:Default=Warning",
        $"--InferenceServer:ModelsRoot={models.Path}",
        $"--InferenceServer:ApiKeys:0={ApiKey}",
        string.Create(CultureInfo.InvariantCulture, $"--InferenceServer:MaxBatchTiles={batch}"),
        string.Create(CultureInfo.InvariantCulture, $"--InferenceServer:MaxTilesPerRequest={Math.Max(64, batch)}"),
        "--InferenceServer:MaxBatchWait=00:00:00.002",
        "--InferenceServer:PreferCuda=true",
    ]);
    await app.StartAsync();
    try
    {
        using var services = new ServiceCollection().AddLogging()
            .AddInferenceClient(o =>
            {
                o.BaseAddress = new Uri(app.Urls.First() + "/");
                o.ApiKey = ApiKey;
                o.MaxConcurrentRequests = Callers;
            }).Services.BuildServiceProvider();
        var client = services.GetRequiredService<InferenceClient>();
        await client.RefreshModelAsync(CancellationToken.None);
        var perCall = Math.Max(1, batch / Callers);
        return await MeasureAsync(client, perCall, count, Callers);
    }
    finally
    {
        await app.StopAsync();
    }
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static int[] Ints(string text) => text.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
