using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;

namespace Landslide.Pipeline.Hosting.Tests;

/// <summary>`serve`'s queue triggers record how long each message waited, from its insertion time, per queue.</summary>
public sealed class QueueWaitTelemetryTests : IAsyncLifetime
{
    private const int Red = 3;
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("serve-telemetry");
    private readonly WebhookReceiver _receiver = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        _receiver.Dispose();
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task ADroppedScene_RecordsQueueWaitsForChunksFinalizeAndAlerts()
    {
        var waits = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PipelineTelemetry.Name && instrument.Name == "landslide.pipeline.queue.wait")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "queue")
                {
                    waits.GetOrAdd((string)tag.Value!, _ => []).Add(value);
                }
            }
        });
        listener.Start();

        var modelPath = _temp.File("model.onnx");
        await File.WriteAllBytesAsync(modelPath, TinyOnnxModels.Passthrough(Red));
        var settings = new ServeSettings
        {
            Storage = _azurite.ConnectionString,
            ModelPath = modelPath,
            SceneSweepInterval = TimeSpan.FromSeconds(2),
            Configuration = new Dictionary<string, string?>
            {
                ["Pipeline:ChunkSize"] = "128",
                ["Pipeline:TempDirectory"] = _temp.Path,
                ["Alerts:Webhooks:0:Url"] = _receiver.Url.AbsoluteUri,
                ["Alerts:Webhooks:0:Secret"] = "s",
            },
        };
        var scenePath = new SceneBuilder { Width = 300, Height = 260 }.Write(_temp.File("waited.tif"), (b, x, y) =>
            b != Red ? 1f : x is >= 100 and < 140 && y is >= 80 and < 120 ? 0.9f : 0.1f);

        using var host = await LocalPipelineHost.StartAsync(settings, logging: null, CancellationToken.None);
        var storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        await storage.Container(StorageNames.ScenesContainer).GetBlobClient("waited.tif").UploadAsync(scenePath);
        await _receiver.WaitForDeliveriesAsync(1, TimeSpan.FromSeconds(120));
        await host.StopAsync();

        foreach (var queue in new[] { "chunks", "finalize", "alerts" })
        {
            Assert.True(waits.TryGetValue(queue, out var values) && !values.IsEmpty, $"no queue wait recorded for {queue}; got [{string.Join(", ", waits.Keys)}]");
            Assert.All(values, v => Assert.InRange(v, 0, 120));
        }
    }
}
