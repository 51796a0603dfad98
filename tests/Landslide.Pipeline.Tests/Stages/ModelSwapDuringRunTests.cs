using Landslide.Core.Segmentation;
using Landslide.Inference;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;

namespace Landslide.Pipeline.Tests.Stages;

/// <summary>A model promoted while a run's chunks are queued: the run is mapped by its planned model to the last chunk.</summary>
public sealed class ModelSwapDuringRunTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("swap");

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task PromotionMidRun_TheRunKeepsItsPlannedModel_AndCompletes()
    {
        using var v1 = OnnxSegmenter.FromBytes(TinyOnnxModels.Passthrough(3), TinyOnnxModels.ManifestFor("v1", TinyOnnxModels.Passthrough(3)), new InferenceOptions());
        using var v2 = OnnxSegmenter.FromBytes(TinyOnnxModels.Passthrough(4), TinyOnnxModels.ManifestFor("v2", TinyOnnxModels.Passthrough(4)), new InferenceOptions());
        var source = new SwappingSource([v1, v2]) { Current = v1 };
        using var pipeline = new PipelineHarness(_azurite, _temp, receiver: null, source: source);
        await pipeline.Storage.EnsureCreatedAsync(CancellationToken.None);
        var scene = new SceneBuilder { Width = 300, Height = 260 }.Write(_temp.File("swap.tif"), (b, x, y) => b == 3 && x < 100 ? 0.9f : 0.1f);

        var planned = await pipeline.UploadAsync("swap.tif", scene);
        source.Current = v2; // promoted after planning, before any chunk ran
        await pipeline.RunUntilIdleAsync(TimeSpan.FromMinutes(2));

        var run = await pipeline.Runs.GetAsync(planned.RunId, CancellationToken.None);
        Assert.True(planned.ChunksEnqueued > 1);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal("v1", run.ModelVersion);
        var runJson = (await pipeline.Storage.Container(StorageNames.ResultsContainer).GetBlobClient("swap/run.json").DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains("\"v1\"", runJson, StringComparison.Ordinal);
        Assert.DoesNotContain("\"v2\"", runJson, StringComparison.Ordinal);
    }

    /// <summary>A hot-swapping source: the current model for new runs, every loaded version by name.</summary>
    private sealed class SwappingSource(IReadOnlyList<ITileSegmenter> loaded) : IVersionedSegmenterSource
    {
        public ITileSegmenter? Current { get; set; }

        public ValueTask<ITileSegmenter> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Current!);

        public ValueTask<ITileSegmenter?> GetAsync(string version, CancellationToken cancellationToken) =>
            ValueTask.FromResult(loaded.FirstOrDefault(s => s.Model.Version == version));
    }
}
