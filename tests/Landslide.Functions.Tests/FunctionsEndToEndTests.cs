using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Queries;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Landslide.Functions.Tests;

/// <summary>
/// The function classes called as the host would call them, on the app's own service registration, against Azurite and
/// the real inference server over HTTP.
/// </summary>
public sealed class FunctionsEndToEndTests : IAsyncLifetime
{
    private const int Red = 3;
    private const string Secret = "functions-secret";
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("functions");
    private readonly WebhookReceiver _receiver = new();
    private InferenceServerProcess _server = null!;
    private ServiceProvider _services = null!;
    private PipelineStorage _storage = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var models = Path.Combine(_temp.Path, "models");
        TinyOnnxModels.WriteVersionFolder(models, "v7", TinyOnnxModels.Passthrough(Red));
        await File.WriteAllTextAsync(Path.Combine(models, "current.json"), """{"version":"v7"}""");
        _server = new InferenceServerProcess(models, AzuriteFixture.FreePort());
        await _server.StartAsync();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage"] = _azurite.ConnectionString,
            ["InferenceClient:BaseAddress"] = _server.BaseAddress.AbsoluteUri,
            ["InferenceClient:ApiKey"] = InferenceServerProcess.ApiKey,
            ["InferenceClient:MaxRetryAttempts"] = "1",
            ["InferenceClient:RetryBaseDelay"] = "00:00:00.050",
            ["InferenceClient:AttemptTimeout"] = "00:00:05",
            ["InferenceClient:TotalTimeout"] = "00:00:10",
            ["Pipeline:ChunkSize"] = "128",
            ["Pipeline:Overlap"] = "32",
            ["Pipeline:Threshold"] = "0.5",
            ["Pipeline:MinAreaM2"] = "100",
            ["Pipeline:TempDirectory"] = _temp.Path,
            ["Alerts:Webhooks:0:Url"] = _receiver.Url.AbsoluteUri,
            ["Alerts:Webhooks:0:Secret"] = Secret,
            ["Alerts:Webhooks:1:Url"] = string.Empty,
            ["Alerts:RetryBaseDelay"] = "00:00:00.020",
            ["Training:JobResourceId"] = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.App/jobs/caj-test-training",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        FunctionsServices.Add(services, configuration);
        services.AddTransient<SceneArrivedFunction>().AddTransient<ChunkWorkerFunction>().AddTransient<FinalizerFunction>()
            .AddTransient<AlertDispatcherFunction>().AddTransient<SceneArrivedFromQueueFunction>();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _storage = _services.GetRequiredService<PipelineStorage>();
        await _storage.EnsureCreatedAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
        _receiver.Dispose();
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task SceneThroughTheFunctions_InferenceServerDownForAWhile_CompletesWithOneSignedAlert()
    {
        var scenePath = new SceneBuilder { Width = 300, Height = 260 }.Write(_temp.File("nepal.tif"), (b, x, y) =>
            b != Red ? 1f : x is >= 100 and < 140 && y is >= 80 and < 120 ? 0.9f : 0.1f);
        var blob = _storage.Container(StorageNames.ScenesContainer).GetBlobClient("nepal.tif");
        await blob.UploadAsync(scenePath);

        await _services.GetRequiredService<SceneArrivedFunction>().SceneArrived(blob, "nepal.tif", CancellationToken.None);
        await _server.StopAsync();
        var failures = await PumpAsync(_services.GetRequiredService<ChunkWorkerFunction>().ChunkWorker, StorageNames.ChunksQueue, maxMessages: 1);
        await _server.StartAsync();
        await RunUntilIdleAsync();

        Assert.Equal(1, failures);
        var view = await _services.GetRequiredService<RunQueries>().LatestAsync("nepal", CancellationToken.None);
        Assert.NotNull(view);
        Assert.Equal(RunStatus.Completed, view.Status);
        Assert.Equal("v7", view.ModelVersion);
        Assert.Equal(1, view.Polygons);
        Assert.Contains(OutputNames.Mask, view.Links.Keys);

        var runJson = (await _storage.Container(StorageNames.ResultsContainer).GetBlobClient($"nepal/{OutputNames.Run}").DownloadContentAsync()).Value.Content;
        using var run = JsonDocument.Parse(runJson.ToMemory());
        Assert.Equal("v7", run.RootElement.GetProperty("model").GetProperty("version").GetString());
        var alert = Assert.Single(_receiver.Delivered);
        Assert.True(AlertSignature.Verify(alert.Body, Secret, alert.Headers[AlertSignature.SignatureHeader]));
    }

    [Fact]
    public async Task BlobCreatedEventThroughTheQueue_StartsTheRun_AsTheBlobTriggerDoes()
    {
        var scenePath = new SceneBuilder { Width = 300, Height = 260 }.Write(_temp.File("sikkim.tif"), (b, x, y) => 1f);
        var blob = _storage.Container(StorageNames.ScenesContainer).GetBlobClient("2024/sikkim.tif");
        await blob.UploadAsync(scenePath);

        // What Event Grid writes to the storage queue (Event Grid schema; base64, as every message of this app).
        var queue = new QueueClient(_azurite.ConnectionString, SceneArrivedFromQueueFunction.QueueName, PipelineStorage.QueueOptions());
        await queue.CreateIfNotExistsAsync();
        var storageEvent = new JsonObject
        {
            ["topic"] = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
            ["subject"] = "/blobServices/default/containers/scenes/blobs/2024/sikkim.tif",
            ["eventType"] = "Microsoft.Storage.BlobCreated",
            ["id"] = Guid.NewGuid().ToString(),
            ["eventTime"] = "2026-11-29T20:00:00Z",
            ["data"] = new JsonObject { ["api"] = "PutBlob", ["url"] = blob.Uri.AbsoluteUri, ["blobType"] = "BlockBlob" },
            ["dataVersion"] = string.Empty,
            ["metadataVersion"] = "1",
        };
        await queue.SendMessageAsync(storageEvent.ToJsonString());

        var received = (await queue.ReceiveMessageAsync()).Value;
        await _services.GetRequiredService<SceneArrivedFromQueueFunction>().SceneArrivedFromQueue(received.MessageText, CancellationToken.None);

        var view = await _services.GetRequiredService<RunQueries>().LatestAsync("sikkim", CancellationToken.None);
        Assert.NotNull(view);
        Assert.True((await _storage.Queue(StorageNames.ChunksQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount > 0, "no chunks were queued");
    }

    [Theory]
    [InlineData("{\"eventType\":\"Microsoft.Storage.BlobDeleted\",\"subject\":\"/blobServices/default/containers/scenes/blobs/a.tif\"}")]
    [InlineData("{\"eventType\":\"Microsoft.Storage.BlobCreated\",\"subject\":\"/blobServices/default/containers/results/blobs/a.tif\"}")]
    [InlineData("not json")]
    [InlineData("[]")]
    public async Task OtherMessagesOnTheSceneQueue_AreIgnored_WithoutStartingARun(string message)
    {
        await _services.GetRequiredService<SceneArrivedFromQueueFunction>().SceneArrivedFromQueue(message, CancellationToken.None);

        Assert.Equal(0, (await _storage.Queue(StorageNames.ChunksQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Health_ReportsStorageReachable()
    {
        var health = await _services.GetRequiredService<RunQueries>().HealthAsync(CancellationToken.None);

        Assert.True(health.Healthy, string.Join(", ", health.Checks.Select(c => $"{c.Key}: {c.Value}")));
    }

    [Fact]
    public async Task Health_ReportsTheGdalTheAppLoads()
    {
        var health = RunsFunction.WithGdal(await _services.GetRequiredService<RunQueries>().HealthAsync(CancellationToken.None));

        Assert.True(health.Healthy);
        Assert.Matches(@"^\d+\.\d+\.\d+", health.Checks["gdal"]);
    }

    private async Task RunUntilIdleAsync()
    {
        var chunk = _services.GetRequiredService<ChunkWorkerFunction>();
        var finalizer = _services.GetRequiredService<FinalizerFunction>();
        var alerts = _services.GetRequiredService<AlertDispatcherFunction>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            await PumpAsync(chunk.ChunkWorker, StorageNames.ChunksQueue);
            await PumpAsync(finalizer.Finalizer, StorageNames.FinalizeQueue);
            await PumpAsync(alerts.AlertDispatcher, StorageNames.AlertsQueue);
            var pending = 0;
            foreach (var queue in new[] { StorageNames.ChunksQueue, StorageNames.FinalizeQueue, StorageNames.AlertsQueue })
            {
                pending += (await _storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
            }

            if (pending == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the queues did not drain in 90 s");
    }

    /// <summary>Delivers visible messages to a function like the host: delete on success, leave for redelivery on failure.</summary>
    private async Task<int> PumpAsync(Func<QueueMessage, CancellationToken, Task> function, string queueName, int maxMessages = 32)
    {
        var queue = _storage.Queue(queueName);
        var failures = 0;
        foreach (var message in (await queue.ReceiveMessagesAsync(maxMessages, TimeSpan.FromSeconds(1))).Value)
        {
            try
            {
                await function(message, CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failures++;
            }
        }

        return failures;
    }
}
