using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.Inference;
using Landslide.Pipeline.Hosting;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Pipeline.Hosting.Tests;

/// <summary>`serve`'s in-process model follows models/current.json on Azurite and keeps earlier versions for their runs.</summary>
public sealed class StorageModelSourceTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private PipelineStorage _storage = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        await _storage.EnsureCreatedAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => _azurite.DisposeAsync();

    [Fact]
    public async Task MovedPointer_SwapsTheModelForNewRuns_WhileTheOldVersionStaysAvailableByName()
    {
        using var source = new StorageModelSource(_storage, () => throw new InvalidOperationException("no fallback expected"), TimeSpan.Zero, NullLogger<StorageModelSource>.Instance);
        await PublishAsync("v1", TinyOnnxModels.Passthrough(3));
        var first = await source.GetAsync(CancellationToken.None);
        await PublishAsync("v2", TinyOnnxModels.Passthrough(4));

        var second = await source.GetAsync(CancellationToken.None);
        var old = await source.GetAsync("v1", CancellationToken.None);

        Assert.Equal("v1", first.Model.Version);
        Assert.Equal("v2", second.Model.Version);
        Assert.Equal(TinyOnnxModels.ManifestFor("v2", TinyOnnxModels.Passthrough(4)).Sha256, second.Model.Sha256);
        Assert.Same(first, old);
    }

    [Fact]
    public async Task NoPointer_UsesTheFallback_AndABrokenPromotionKeepsTheModelInUse()
    {
        using var source = new StorageModelSource(_storage, () => EmbeddedModel.Open(new InferenceOptions()), TimeSpan.Zero, NullLogger<StorageModelSource>.Instance);
        var fallback = await source.GetAsync(CancellationToken.None);
        await _storage.Container(StorageNames.ModelsContainer).GetBlobClient("current.json").UploadAsync(BinaryData.FromString("""{"version":"missing"}"""), overwrite: true);

        var after = await source.GetAsync(CancellationToken.None);

        Assert.Same(fallback, after);
    }

    private async Task PublishAsync(string version, byte[] onnx)
    {
        var models = _storage.Container(StorageNames.ModelsContainer);
        await models.GetBlobClient($"{version}/{ModelManifest.ModelFileName}").UploadAsync(new BinaryData(onnx), overwrite: true);
        await models.GetBlobClient($"{version}/{ModelManifest.FileName}").UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(TinyOnnxModels.ManifestFor(version, onnx))), overwrite: true);
        await models.GetBlobClient("current.json").UploadAsync(BinaryData.FromString($$"""{"version":"{{version}}"}"""), overwrite: true);
    }
}
