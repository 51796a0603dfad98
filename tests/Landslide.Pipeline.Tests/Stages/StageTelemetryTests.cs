using System.Collections.Concurrent;
using System.Diagnostics;
using Landslide.TestSupport;

namespace Landslide.Pipeline.Tests.Stages;

/// <summary>The stage handlers' spans, through real queues, blobs and the runs table on Azurite.</summary>
public sealed class StageTelemetryTests : IAsyncLifetime
{
    private const string TestSourceName = "Landslide.Pipeline.Tests.StageTelemetry";
    private static readonly ActivitySource TestSource = new(TestSourceName);
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("stage-telemetry");
    private readonly WebhookReceiver _receiver = new();
    private PipelineHarness _pipeline = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _pipeline = new PipelineHarness(_azurite, _temp, _receiver);
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
    public async Task ARun_GivesOneSceneArrivedSpan_OneChunkSpanPerChunk_AndOneFinalizeSpan_TaggedWithTheRun()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PipelineTelemetry.Name or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var builder = new SceneBuilder { Width = 300, Height = 260 };
        var scene = builder.Write(_temp.File("traced.tif"), (b, x, y) => b != PipelineHarness.Red ? 1f : x is >= 100 and < 140 && y is >= 80 and < 120 ? 0.9f : 0.1f);

        ActivityTraceId trace;
        string runId;
        int chunks;
        using (var root = TestSource.StartActivity("test"))
        {
            Assert.NotNull(root);
            trace = root.TraceId;
            var planned = await _pipeline.UploadAsync("traced.tif", scene);
            runId = planned.RunId;
            chunks = planned.ChunksEnqueued;
            await _pipeline.RunUntilIdleAsync(TimeSpan.FromSeconds(90));
        }

        var ours = spans.Where(s => s.TraceId == trace).ToList();
        var arrived = Assert.Single(ours, s => s.OperationName == "stage.scene_arrived");
        Assert.Equal("traced.tif", arrived.GetTagItem("landslide.scene"));
        var chunkSpans = ours.Where(s => s.OperationName == "stage.chunk").ToList();
        Assert.True(chunks > 1, $"the scene should plan several chunks, planned {chunks}");
        Assert.Equal(chunks, chunkSpans.Count);
        Assert.All(chunkSpans, s => Assert.Equal(runId, s.GetTagItem("landslide.run")));
        Assert.Equal(Enumerable.Range(0, chunks), chunkSpans.Select(s => (int)s.GetTagItem("landslide.chunk")!).Order());

        // Each chunk maps its tile rows under its own span.
        Assert.All(chunkSpans, c => Assert.Contains(ours, s => s.OperationName == "map.tile_rows" && s.ParentSpanId == c.SpanId));
        var finalize = Assert.Single(ours, s => s.OperationName == "stage.finalize");
        Assert.Equal(runId, finalize.GetTagItem("landslide.run"));
        Assert.All(ours.Where(s => s.OperationName.StartsWith("stage.", StringComparison.Ordinal)), s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
    }
}
