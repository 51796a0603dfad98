using System.Text;
using System.Text.Json;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;

namespace Landslide.Pipeline.Tests.Stages;

/// <summary>A retrain's model events go through the alert dispatcher on Azurite to a real receiver.</summary>
public sealed class ModelEventDispatchTests : IAsyncLifetime
{
    private const string Secret = "model-s3cret";
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("model-events");
    private readonly WebhookReceiver _receiver = new();
    private PipelineHarness _pipeline = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _pipeline = new PipelineHarness(_azurite, _temp, _receiver, Secret);
        await _pipeline.Storage.EnsureCreatedAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _pipeline.Dispose();
        _receiver.Dispose();
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task ModelPromoted_IsSignedAndDeliveredOnce_WithItsDeliveryKey()
    {
        var body = Encoding.UTF8.GetBytes("""{"type":"model.promoted","model_version":"rau4-abc","candidate":{"landslide_f1":0.5},"current":{"landslide_f1":0.4}}""");
        await _pipeline.Storage.Container(StorageNames.ModelsContainer).GetBlobClient("rau4-abc/event.json").UploadAsync(new BinaryData(body), overwrite: true);
        await ModelEventPublisher.EnqueueAsync(_pipeline.Storage, "rau4-abc", "model.promoted", CancellationToken.None);
        var message = (await _pipeline.Storage.Queue(StorageNames.AlertsQueue).ReceiveMessageAsync()).Value;

        await _pipeline.Dispatcher.HandleAsync(message.MessageText, 1, CancellationToken.None);
        await _pipeline.Dispatcher.HandleAsync(message.MessageText, 2, CancellationToken.None); // a redelivery

        var delivered = Assert.Single(_receiver.Delivered);
        Assert.Equal(body, delivered.Body);
        Assert.True(AlertSignature.Verify(delivered.Body, Secret, delivered.Headers[AlertSignature.SignatureHeader]));
        Assert.Equal("model-rau4-abc-w0", delivered.Headers[AlertSignature.DeliveryHeader]);
    }

    [Fact]
    public async Task ModelEvent_ToAFailingReceiver_GoesToTheDeadLetterQueue()
    {
        _receiver.AlwaysFail = true;
        await _pipeline.Storage.Container(StorageNames.ModelsContainer).GetBlobClient("rau4-bad/event.json").UploadAsync(BinaryData.FromString("""{"type":"model.rejected"}"""), overwrite: true);

        await _pipeline.Dispatcher.HandleAsync("""{"model_event":"rau4-bad","type":"model.rejected"}""", 1, CancellationToken.None);

        var dead = (await _pipeline.Storage.Queue(StorageNames.AlertsDeadLetterQueue).ReceiveMessageAsync()).Value;
        using var document = JsonDocument.Parse(dead.MessageText);
        Assert.Equal("rau4-bad", document.RootElement.GetProperty("model_version").GetString());
        Assert.Equal("model-rau4-bad-w0", document.RootElement.GetProperty("delivery").GetString());
    }
}
