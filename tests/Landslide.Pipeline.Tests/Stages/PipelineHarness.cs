using Azure.Storage.Queues;
using Landslide.Inference;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Chunks;
using Landslide.Pipeline.Finalize;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.SceneArrival;
using Landslide.Pipeline.Scenes;
using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Tests.Stages;

/// <summary>
/// The stage handlers on a real Azurite with a real ONNX model (a pass-through of band B4), and a pump that plays the
/// host: it receives from the real queues with a visibility timeout, deletes a message only when its handler
/// succeeded, and moves it to "{queue}-poison" after MaxDequeueCount failed deliveries.
/// </summary>
internal sealed class PipelineHarness : IDisposable
{
    public const int Red = 3;

    private readonly OnnxSegmenter _onnx;
    private readonly ServiceProvider _http;

    public PipelineHarness(AzuriteFixture azurite, TempDirectory temp, WebhookReceiver? receiver, string secret = "s3cret", ISegmenterSource? source = null)
    {
        Storage = PipelineStorage.FromConnectionString(azurite.ConnectionString);
        var modelPath = temp.File("model.onnx");
        File.WriteAllBytes(modelPath, TinyOnnxModels.Passthrough(Red));
        _onnx = OnnxSegmenter.Open(new InferenceOptions { ModelPath = modelPath, BatchSize = 4 });
        Segmenter = new FlakySegmenter(_onnx);
        Options = new PipelineOptions { ChunkSize = 128, Threshold = 0.5, MinAreaM2 = 100, MaxDequeueCount = 4, TempDirectory = temp.Path };
        Alerts = new AlertOptions { MaxRetryAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(5) };
        if (receiver is not null)
        {
            Alerts.Webhooks.Add(new WebhookOptions { Url = receiver.Url.AbsoluteUri, Secret = secret });
        }

        Alerts.Webhooks.Add(new WebhookOptions { Url = string.Empty, Secret = string.Empty });
        Runs = new RunStore(Storage);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        source ??= new FixedSegmenterSource(Segmenter);
        var opener = new SceneBlobOpener(options, NullLogger<SceneBlobOpener>.Instance);
        SceneArrived = new SceneArrivedHandler(Storage, Runs, source, opener, options, NullLogger<SceneArrivedHandler>.Instance);
        Chunks = new ChunkWorkerHandler(Storage, Runs, source, opener, options, NullLogger<ChunkWorkerHandler>.Instance);
        Finalizer = new FinalizerHandler(Storage, Runs, opener, options, Microsoft.Extensions.Options.Options.Create(Alerts), NullLogger<FinalizerHandler>.Instance);
        _http = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        Dispatcher = new AlertDispatcher(_http.GetRequiredService<IHttpClientFactory>(), Storage, Runs, Microsoft.Extensions.Options.Options.Create(Alerts), NullLogger<AlertDispatcher>.Instance);
    }

    public PipelineStorage Storage { get; }

    public FlakySegmenter Segmenter { get; }

    public PipelineOptions Options { get; }

    public AlertOptions Alerts { get; }

    public RunStore Runs { get; }

    public SceneArrivedHandler SceneArrived { get; }

    public ChunkWorkerHandler Chunks { get; }

    public FinalizerHandler Finalizer { get; }

    public AlertDispatcher Dispatcher { get; }

    public TimeSpan Visibility { get; set; } = TimeSpan.FromSeconds(1);

    public async Task<SceneArrivedOutcome> UploadAsync(string name, string localPath)
    {
        var blob = Storage.Container(StorageNames.ScenesContainer).GetBlobClient(name);
        await blob.UploadAsync(localPath, overwrite: true);
        return await SceneArrived.HandleAsync(blob, name, CancellationToken.None);
    }

    /// <summary>Pumps chunks, finalize and alerts until every queue is empty (invisible messages included) or the timeout.</summary>
    public async Task RunUntilIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var worked = await PumpAsync(StorageNames.ChunksQueue, Chunks.HandleAsync)
                | await PumpAsync(StorageNames.FinalizeQueue, Finalizer.HandleAsync)
                | await PumpAsync(StorageNames.AlertsQueue, Dispatcher.HandleAsync);
            if (worked)
            {
                continue;
            }

            var pending = 0;
            foreach (var queue in new[] { StorageNames.ChunksQueue, StorageNames.FinalizeQueue, StorageNames.AlertsQueue })
            {
                pending += (await Storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
            }

            if (pending == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the queues were not empty after {timeout}");
    }

    public async Task<int> CountAsync(string queue)
    {
        var client = Storage.Queue(queue);
        return await client.ExistsAsync() ? (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    public void Dispose()
    {
        _http.Dispose();
        _onnx.Dispose();
    }

    private async Task<bool> PumpAsync(string name, Func<string, long, CancellationToken, Task> handler)
    {
        var queue = Storage.Queue(name);
        var messages = (await queue.ReceiveMessagesAsync(maxMessages: 1, visibilityTimeout: Visibility)).Value;
        if (messages.Length == 0)
        {
            return false;
        }

        var message = messages[0];
        try
        {
            await handler(message.MessageText, message.DequeueCount, CancellationToken.None);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        catch (Exception) when (message.DequeueCount >= Options.MaxDequeueCount)
        {
            var poison = Storage.Queues.GetQueueClient(name + "-poison");
            await poison.CreateIfNotExistsAsync();
            await poison.SendMessageAsync(message.MessageText);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        catch (Exception)
        {
            // Like the host: the message stays and is delivered again once its visibility timeout ends.
        }

        return true;
    }
}
