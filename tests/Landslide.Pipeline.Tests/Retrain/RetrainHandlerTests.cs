using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.Pipeline.Retrain;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Tests.Retrain;

/// <summary>The retrain schedule on Azurite, starting a real local process.</summary>
public sealed class RetrainHandlerTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("retrain");
    private PipelineStorage _storage = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        await _storage.EnsureCreatedAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task NewLabelledPairs_StartTheTrainingProcessOnce()
    {
        await PublishModelAsync("v1", createdAt: DateTimeOffset.UtcNow.AddDays(-1));
        await UploadPairAsync("1");
        await UploadPairAsync("2");
        await UploadAsync("training/img/image_3.h5"); // no mask yet: not a pair
        var marker = _temp.File("started.txt");
        var handler = Handler($"-c \"echo $LANDSLIDE_NEW_PAIRS > '{marker}'\"");

        var first = await handler.HandleAsync(CancellationToken.None);
        var second = await handler.HandleAsync(CancellationToken.None);

        Assert.True(first.Started, first.Reason);
        Assert.Equal(2, first.NewPairs);
        Assert.False(second.Started, "the same data started a second training job");
        Assert.Equal("2", (await WaitForFileAsync(marker)).Trim());
    }

    [Fact]
    public async Task UnchangedDataFingerprint_StartsNothing_UntilForcedOrChanged()
    {
        await UploadPairAsync("1");
        var items = await TrainingDataScan.ItemsAsync(_storage.Container(StorageNames.TrainingContainer), CancellationToken.None);
        await PublishModelAsync("v2", createdAt: DateTimeOffset.UtcNow, fingerprint: TrainingDataFingerprint.Compute(items.Select(i => (i.Key, i.Value))));
        var marker = _temp.File("forced.txt");
        var handler = Handler($"-c \"touch '{marker}'\"");

        var unchanged = await handler.HandleAsync(CancellationToken.None);
        await Task.Delay(300);
        var notStarted = File.Exists(marker);
        var forced = await handler.HandleAsync(force: true, CancellationToken.None);
        await UploadAsync("training/img/image_1.h5", "new content"); // the same patch relabelled: another fingerprint
        var changed = await handler.HandleAsync(CancellationToken.None);

        Assert.False(unchanged.Started);
        Assert.Contains("unchanged", unchanged.Reason, StringComparison.Ordinal);
        Assert.False(notStarted);
        Assert.True(forced.Started, forced.Reason);
        await WaitForFileAsync(marker);
        Assert.True(changed.Started, changed.Reason);
        Assert.Equal(1, changed.NewPairs);
    }

    [Fact]
    public async Task StorageConnectionString_ReachesTheTrainingProcess_InItsEnvironment_NotItsCommandLine()
    {
        await UploadPairAsync("1");
        var marker = _temp.File("environment.txt");
        const string secret = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0;";
        var options = Options.Create(new RetrainOptions
        {
            Command = "/bin/sh",
            Arguments = $"-c \"printf '%s' \\\"${RetrainOptions.StorageConnectionVariable}\\\" > '{marker}'\"",
            StorageConnectionString = secret,
        });
        var handler = new RetrainHandler(_storage, new ProcessTrainingJobStarter(options), options, NullLogger<RetrainHandler>.Instance);

        var outcome = await handler.HandleAsync(CancellationToken.None);

        Assert.True(outcome.Started, outcome.Reason);
        Assert.Equal(secret, await WaitForFileAsync(marker));
        Assert.DoesNotContain("AccountKey", options.Value.Arguments, StringComparison.Ordinal);
    }

    private RetrainHandler Handler(string shellArguments)
    {
        var options = Options.Create(new RetrainOptions { Command = "/bin/sh", Arguments = shellArguments });
        return new RetrainHandler(_storage, new ProcessTrainingJobStarter(options), options, NullLogger<RetrainHandler>.Instance);
    }

    private async Task UploadPairAsync(string id)
    {
        await UploadAsync($"training/img/image_{id}.h5");
        await UploadAsync($"training/mask/mask_{id}.h5");
    }

    private Task UploadAsync(string path, string? content = null) =>
        _storage.Container(StorageNames.TrainingContainer).GetBlobClient(path["training/".Length..]).UploadAsync(BinaryData.FromString(content ?? path), overwrite: true);

    private async Task PublishModelAsync(string version, DateTimeOffset createdAt, string? fingerprint = null)
    {
        var models = _storage.Container(StorageNames.ModelsContainer);
        var manifest = TinyOnnxModels.ManifestFor(version, TinyOnnxModels.Passthrough(3)) with { CreatedAt = createdAt, TrainingDataFingerprint = fingerprint };
        await models.GetBlobClient($"{version}/{ModelManifest.FileName}").UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(manifest)), overwrite: true);
        await models.GetBlobClient("current.json").UploadAsync(BinaryData.FromString($"{{\"version\":\"{version}\"}}"), overwrite: true);
    }

    private static async Task<string> WaitForFileAsync(string path)
    {
        for (var i = 0; i < 100 && !File.Exists(path); i++)
        {
            await Task.Delay(50);
        }

        await Task.Delay(100);
        return await File.ReadAllTextAsync(path);
    }
}
