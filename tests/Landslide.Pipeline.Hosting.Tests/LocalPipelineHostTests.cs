using System.Text.Json;
using Azure;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Hosting;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;
using Microsoft.Extensions.Hosting;

namespace Landslide.Pipeline.Hosting.Tests;

/// <summary>`landslide serve`'s host on real Azurite: real blob-trigger and queue-trigger delivery, no test pump.</summary>
public sealed class LocalPipelineHostTests : IAsyncLifetime
{
    private const int Red = 3;
    private const string Secret = "serve-secret";
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("serve");
    private readonly WebhookReceiver _receiver = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        _receiver.Dispose();
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task ScenesDroppedAtOnce_AllComplete_EachWithOneAlert()
    {
        // The WebJobs container scan misses blobs written during a scan (Azurite has no $logs): the sweeper must not.
        var settings = await SettingsAsync();
        var scenePath = new SceneBuilder { Width = 200, Height = 200 }.Write(_temp.File("burst.tif"), (b, x, y) =>
            b != Red ? 1f : x is >= 50 and < 90 && y is >= 50 and < 90 ? 0.9f : 0.1f);
        var names = Enumerable.Range(1, 6).Select(i => $"burst-{i}").ToArray();

        using var host = await LocalPipelineHost.StartAsync(settings, logging: null, CancellationToken.None);
        var storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        await Task.WhenAll(names.Select(n => storage.Container(StorageNames.ScenesContainer).GetBlobClient(n + ".tif").UploadAsync(scenePath)));
        await _receiver.WaitForDeliveriesAsync(names.Length, TimeSpan.FromSeconds(150));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await host.StopAsync();

        Assert.Equal(names, _receiver.Delivered.Select(d => JsonDocument.Parse(d.Body).RootElement.GetProperty("scene").GetString()).Order());
    }

    [Fact]
    public async Task DroppedScene_GetsResultsAndExactlyOneSignedAlert()
    {
        var settings = await SettingsAsync();
        var scenePath = new SceneBuilder { Width = 300, Height = 260 }.Write(_temp.File("dropped.tif"), (b, x, y) =>
            b != Red ? 1f : x is >= 100 and < 140 && y is >= 80 and < 120 ? 0.9f : 0.1f);

        using var host = await LocalPipelineHost.StartAsync(settings, logging: null, CancellationToken.None);
        var storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        await storage.Container(StorageNames.ScenesContainer).GetBlobClient("dropped.tif").UploadAsync(scenePath);
        var results = storage.Container(StorageNames.ResultsContainer);
        var deliveries = await _receiver.WaitForDeliveriesAsync(1, TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a duplicate to show up, if there were one
        await host.StopAsync();

        var alert = Assert.Single(_receiver.Delivered);
        Assert.Single(deliveries);
        Assert.True(AlertSignature.Verify(alert.Body, Secret, alert.Headers[AlertSignature.SignatureHeader]), "the alert's signature does not verify");
        foreach (var name in new[] { OutputNames.Mask, OutputNames.Probability, OutputNames.Polygons, OutputNames.Quicklook, OutputNames.Run, OutputNames.StacItem })
        {
            Assert.True((await results.GetBlobClient($"dropped/{name}").ExistsAsync()).Value, $"results/dropped/ lacks {name}");
        }

        var maskPath = _temp.File("mask.tif");
        await results.GetBlobClient($"dropped/{OutputNames.Mask}").DownloadToAsync(maskPath);
        using var sceneInfo = GdalCli.GdalInfoJson(scenePath);
        using var maskInfo = GdalCli.GdalInfoJson(maskPath);
        Assert.Equal(
            sceneInfo.RootElement.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()),
            maskInfo.RootElement.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()));
        using var body = JsonDocument.Parse(alert.Body);
        Assert.Equal("dropped", body.RootElement.GetProperty("scene").GetString());
    }

    [Fact]
    public async Task WorkerStoppedMidChunk_NextServeShowsStalled_ThenFinishesTheRun_WithoutDuplicateAlert()
    {
        // A slower model than the pass-through, so the first worker is surely mid-chunk when it stops.
        var settings = await SettingsAsync();
        var slow = _temp.File("slow.onnx");
        await File.WriteAllBytesAsync(slow, TinyOnnxModels.Conv3x3Stack(width: 16, layers: 3));
        var configuration = new Dictionary<string, string?>(settings.Configuration)
        {
            ["Pipeline:ChunkSize"] = "2048",
            ["Pipeline:HeartbeatInterval"] = "00:00:01",
            ["Pipeline:StallAfter"] = "00:00:05",
        };
        settings = settings with { Configuration = configuration, StallSweepInterval = TimeSpan.FromSeconds(2), ModelPath = slow };
        var scenePath = new SceneBuilder { Width = 1600, Height = 1600 }.Write(_temp.File("long.tif"), (b, x, y) =>
            b != Red ? 1f : x is >= 100 and < 140 && y is >= 80 and < 120 ? 0.9f : 0.1f);
        var storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        var queries = new Landslide.Pipeline.Queries.RunQueries(
            storage, new RunStore(storage), Microsoft.Extensions.Options.Options.Create(new Landslide.Pipeline.Runs.PipelineOptions { HeartbeatInterval = TimeSpan.FromSeconds(1), StallAfter = TimeSpan.FromSeconds(5) }));

        // First worker: stopped (as a killed process would be) while its only chunk is being mapped.
        using (var first = await LocalPipelineHost.StartAsync(settings, logging: null, CancellationToken.None))
        {
            await storage.Container(StorageNames.ScenesContainer).GetBlobClient("long.tif").UploadAsync(scenePath);
            await WaitAsync(async () => await HeartbeatsAsync(storage) > 0, TimeSpan.FromSeconds(90));
            await first.StopAsync(TimeSpan.FromMilliseconds(100));
        }

        var stopped = await queries.LatestAsync("long", CancellationToken.None);
        Assert.True(stopped!.Status == RunStatus.Running, $"the first worker was not stopped mid-chunk: {stopped.Status}, {stopped.ChunksDone} of {stopped.ChunkCount}");
        await WaitAsync(async () => (await queries.LatestAsync("long", CancellationToken.None))!.Status == RunStatus.Stalled, TimeSpan.FromSeconds(30), () => HeartbeatsAsync(storage));
        var stall = Assert.Single((await queries.LatestAsync("long", CancellationToken.None))!.Stalled!);
        Assert.Equal("chunk-00000", stall.Part);

        // Second worker: its stall sweeper re-queues the chunk long before the first delivery's 10-minute lease ends.
        using var second = await LocalPipelineHost.StartAsync(settings, logging: null, CancellationToken.None);
        await WaitAsync(async () => (await queries.LatestAsync("long", CancellationToken.None))!.Status == RunStatus.Completed, TimeSpan.FromSeconds(120));
        var done = (await queries.LatestAsync("long", CancellationToken.None))!;
        await _receiver.WaitForDeliveriesAsync(1, TimeSpan.FromSeconds(done.Polygons > 0 ? 30 : 5));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await second.StopAsync();

        // The slow model is random: it may or may not find something, but never alerts twice.
        Assert.Equal(done.Polygons > 0 ? 1 : 0, _receiver.Delivered.Count);
        Assert.True(done.Links.ContainsKey(OutputNames.Mask), "the completed run has no outputs");
        Assert.Equal(0, await HeartbeatsAsync(storage));
    }

    private static async Task<int> HeartbeatsAsync(PipelineStorage storage)
    {
        var count = 0;
        await foreach (var blob in storage.Container(StorageNames.WorkContainer).GetBlobsAsync())
        {
            count += blob.Name.EndsWith(".heartbeat", StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<int>>? heartbeats = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {timeout}; heartbeats: {(heartbeats is null ? "-" : await heartbeats())}");
            await Task.Delay(250);
        }
    }

    private async Task<ServeSettings> SettingsAsync()
    {
        var modelPath = _temp.File("model.onnx");
        await File.WriteAllBytesAsync(modelPath, TinyOnnxModels.Passthrough(Red));
        return new ServeSettings
        {
            Storage = _azurite.ConnectionString,
            ModelPath = modelPath,
            SceneSweepInterval = TimeSpan.FromSeconds(2),
            Configuration = new Dictionary<string, string?>
            {
                ["Pipeline:ChunkSize"] = "128",
                ["Pipeline:Threshold"] = "0.5",
                ["Pipeline:TempDirectory"] = _temp.Path,
                ["Alerts:Webhooks:0:Url"] = _receiver.Url.AbsoluteUri,
                ["Alerts:Webhooks:0:Secret"] = Secret,
            },
        };
    }
}
