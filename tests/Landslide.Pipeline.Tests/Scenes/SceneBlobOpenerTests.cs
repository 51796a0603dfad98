using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Scenes;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Tests.Scenes;

/// <summary>Scenes are read from blob storage without a local copy when a SAS can be made (GDAL /vsicurl/ range reads).</summary>
public sealed class SceneBlobOpenerTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("opener");

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Open_ReadsTheBlobsPixels(bool rangeReads)
    {
        var storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var path = new SceneBuilder { Width = 200, Height = 150 }.Write(_temp.File("s.tif"), (b, x, y) => (b * 1000) + (y * 200) + x);
        var blob = storage.Container(StorageNames.ScenesContainer).GetBlobClient("s.tif");
        await blob.UploadAsync(path);
        var opener = new SceneBlobOpener(Options.Create(new PipelineOptions { RangeReads = rangeReads, TempDirectory = _temp.Path }), NullLogger<SceneBlobOpener>.Instance);

        using var opened = await opener.OpenAsync(blob, CancellationToken.None);
        var window = new float[14 * 10 * 20];
        opened.Scene.ReadWindow(30, 100, 20, 10, window);

        Assert.Equal(rangeReads, opened.IsRemote);
        Assert.Equal((200, 150), (opened.Scene.Info.Width, opened.Scene.Info.Height));
        Assert.Equal((5 * 1000) + (103 * 200) + 34f, window[(5 * 200) + (3 * 20) + 4]);
    }
}
