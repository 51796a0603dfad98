using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.Pipeline.Hosting;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Queries;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Samples;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// landslide pipeline load run: --scenes N (20) --size PX (512) --chunk-size PX (256) --timeout-min M (30)
// Drops N copies of the synthetic sample scene into scenes/ at once and waits until every run completes, sampling
// this process's memory (the host is the single worker here) every 200 ms.
var values = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    values[args[i].TrimStart('-')] = args[i + 1];
}

int Arg(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var scenes = Arg("scenes", 20);
var size = Arg("size", 512);
var chunkSize = Arg("chunk-size", 256);
var timeout = TimeSpan.FromMinutes(Arg("timeout-min", 30));

using var temp = new TempDirectory("load");
var azurite = new AzuriteFixture();
await azurite.InitializeAsync();
try
{
    var scenePath = SampleSceneWriter.Write(temp.Path, size, seed: 7, CancellationToken.None);
    var models = Path.Combine(temp.Path, "models");
    var modelFolder = TinyOnnxModels.WriteVersionFolder(models, "conv16", TinyOnnxModels.Conv3x3Stack(width: 16, layers: 3));
    var settings = new ServeSettings
    {
        Storage = azurite.ConnectionString,
        ModelPath = Path.Combine(modelFolder, ModelManifest.ModelFileName),
        Configuration = new Dictionary<string, string?>
        {
            ["Pipeline:ChunkSize"] = chunkSize.ToString(CultureInfo.InvariantCulture),
            ["Pipeline:TempDirectory"] = temp.Path,
        },
    };

    using var host = await LocalPipelineHost.StartAsync(
        settings,
        values.ContainsKey("log")
            ? logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Azure.Core", LogLevel.Warning)
            : null,
        CancellationToken.None);
    var storage = PipelineStorage.FromConnectionString(azurite.ConnectionString);
    var queries = host.Services.GetRequiredService<RunQueries>();
    using var sampler = new CancellationTokenSource();
    long peakWorkingSet = 0, peakManagedHeap = 0;
    var sampling = Task.Run(async () =>
    {
        using var self = Process.GetCurrentProcess();
        while (!sampler.IsCancellationRequested)
        {
            self.Refresh();
            InterlockedMax(ref peakWorkingSet, self.WorkingSet64);
            InterlockedMax(ref peakManagedHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
            await Task.Delay(200).ConfigureAwait(false);
        }
    });

    var names = Enumerable.Range(1, scenes).Select(i => FormattableString.Invariant($"load-{i:D2}")).ToArray();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(names.Select(n => storage.Container(StorageNames.ScenesContainer).GetBlobClient(n + ".tif").UploadAsync(scenePath)));
    var uploaded = clock.Elapsed;

    // The uploads above are the client, not the worker: measure the worker from here on.
    GC.Collect();
    Interlocked.Exchange(ref peakWorkingSet, 0);
    Interlocked.Exchange(ref peakManagedHeap, 0);

    var done = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
    while (done.Count < scenes && clock.Elapsed < timeout)
    {
        foreach (var name in names.Where(n => !done.ContainsKey(n)))
        {
            var view = await queries.LatestAsync(name, CancellationToken.None);
            if (view is not null && RunStatus.IsFinal(view.Status))
            {
                done[name] = clock.Elapsed;
                if (view.Status != RunStatus.Completed)
                {
                    Console.Error.WriteLine($"{name}: {view.Status} {view.Reason}");
                }
            }
        }

        await Task.Delay(500);
    }

    var elapsed = clock.Elapsed;
    var retained = GC.GetTotalMemory(forceFullCollection: true);
    await sampler.CancelAsync();
    await sampling;
    await host.StopAsync();

    var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
    foreach (var name in done.Keys)
    {
        var content = await storage.Container(StorageNames.ResultsContainer).GetBlobClient($"{name}/{OutputNames.Run}").DownloadContentAsync();
        using var run = JsonDocument.Parse(content.Value.Content.ToMemory());
        foreach (var stage in run.RootElement.GetProperty("timings_s").EnumerateObject())
        {
            (stages.TryGetValue(stage.Name, out var list) ? list : stages[stage.Name] = []).Add(stage.Value.GetDouble());
        }
    }

    Console.WriteLine($"scenes: {done.Count}/{scenes} of {size} x {size} px, chunk {chunkSize} px; uploaded in {uploaded.TotalSeconds:F1} s");
    Console.WriteLine($"wall: {elapsed.TotalSeconds:F1} s from first upload to last run done; throughput {done.Count / elapsed.TotalMinutes:F2} scenes/min");
    Console.WriteLine(
        $"peak working set {peakWorkingSet / 1048576.0:F0} MiB; peak managed heap {peakManagedHeap / 1048576.0:F0} MiB; "
        + $"retained after the runs {retained / 1048576.0:F0} MiB; GC heap limit {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1048576.0:F0} MiB");
    Console.WriteLine("per-stage seconds per scene (mean over scenes; chunk stages summed over a scene's chunks):");
    foreach (var (stage, list) in stages.OrderBy(s => s.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"  {stage,-20} {list.Average(),8:F3}");
    }

    return done.Count == scenes ? 0 : 1;
}
finally
{
    await azurite.DisposeAsync();
}

static void InterlockedMax(ref long target, long value)
{
    for (var current = Interlocked.Read(ref target); value > current; current = Interlocked.Read(ref target))
    {
        if (Interlocked.CompareExchange(ref target, value, current) == current)
        {
            return;
        }
    }
}
