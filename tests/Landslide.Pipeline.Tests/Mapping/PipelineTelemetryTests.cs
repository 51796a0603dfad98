using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Landslide.Core.Tiling;
using Landslide.Inference;
using Landslide.Pipeline.Mapping;
using Landslide.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Pipeline.Tests.Mapping;

/// <summary>
/// The pipeline's ActivitySource and Meter seen through the BCL listeners an OpenTelemetry SDK uses. Other tests map
/// scenes in parallel, so only what happens under this test's own root span (same trace id) is counted.
/// </summary>
public sealed class PipelineTelemetryTests : IDisposable
{
    private const int Red = 3;
    private const string TestSourceName = "Landslide.Pipeline.Tests.Telemetry";
    private static readonly ActivitySource TestSource = new(TestSourceName);
    private readonly TempDirectory _temp = new("telemetry");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(MapEngine.Pipelined)]
    [InlineData(MapEngine.Sequential)]
    public async Task MappingAScene_EmitsStageSpans_TileAndBatchCounts_AndStageDurations(MapEngine engine)
    {
        var builder = new SceneBuilder { Width = 300, Height = 230 };
        var scenePath = builder.Write(_temp.File("scene.tif"), (b, x, y) => b == Red ? (x + y) / 600f : 1f);
        var modelPath = _temp.File("model.onnx");
        await File.WriteAllBytesAsync(modelPath, TinyOnnxModels.Passthrough(Red));
        var grid = new TileGrid(builder.Width, builder.Height);
        const int batchSize = 3;

        var spans = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PipelineTelemetry.Name or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(activities);

        ActivityTraceId? trace = null;
        long tiles = 0, batches = 0;
        var stages = new ConcurrentDictionary<string, int>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PipelineTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (Activity.Current?.TraceId != trace)
            {
                return;
            }

            if (instrument.Name == "landslide.pipeline.tiles")
            {
                Interlocked.Add(ref tiles, value);
            }
            else if (instrument.Name == "landslide.pipeline.batches")
            {
                Interlocked.Add(ref batches, value);
            }
        });
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (Activity.Current?.TraceId == trace && instrument.Name == "landslide.pipeline.stage.duration")
            {
                Assert.True(value >= 0);
                foreach (var tag in tags)
                {
                    if (tag.Key == "stage")
                    {
                        stages.AddOrUpdate((string)tag.Value!, 1, (_, n) => n + 1);
                    }
                }
            }
        });
        meters.Start();

        using (var root = TestSource.StartActivity("test"))
        {
            Assert.NotNull(root);
            trace = root.TraceId;
            using var segmenter = OnnxSegmenter.Open(new InferenceOptions { ModelPath = modelPath, BatchSize = batchSize });
            var mapper = new SceneMapper(segmenter, NullLogger<SceneMapper>.Instance);
            await mapper.MapAsync(
                new MapRequest(scenePath, _temp.File("out"), new MapOptions { Engine = engine, BatchSize = batchSize }),
                progress: null,
                CancellationToken.None);
        }

        var ours = spans.Where(s => s.TraceId == trace).ToList();
        var scene = Assert.Single(ours, s => s.OperationName == "map.scene");
        var rows = Assert.Single(ours, s => s.OperationName == "map.tile_rows");
        Assert.Equal(scene.SpanId, rows.ParentSpanId);
        Assert.Equal(grid.TileCount, rows.GetTagItem("landslide.tiles"));

        Assert.Equal(grid.TileCount, Interlocked.Read(ref tiles));
        Assert.Equal(grid.Rows * (long)Math.Ceiling(grid.Columns / (double)batchSize), Interlocked.Read(ref batches));
        foreach (var stage in new[] { "validate", "read", "features", "inference", "cog", "polygonize", "total" })
        {
            Assert.True(stages.ContainsKey(stage), $"no duration recorded for stage {stage}; got {string.Join(", ", stages.Keys)}");
        }
    }
}
