using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;
using Landslide.Inference;
using Landslide.Pipeline.Mapping;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Pipeline.Tests.Mapping;

[Collection(GdalCacheCollection.Name)]
public sealed class PipelinedEngineTests : IDisposable
{
    // A failing run must end well inside this; if it does not, the pipeline hung.
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new("pipelined");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Pipelined_GivesBitIdenticalRowsToSequential_InOnePassAndInChunks()
    {
        // 5 tile columns with batches of 2 (a short last batch per row), a nodata hole, a 3x3-conv model (tiles see
        // their neighbours' pixels), rows not a multiple of the stride.
        var (scene, grid, builder) = OpenScene(500, 430);
        using var _ = scene;
        using var segmenter = await OpenConvAsync();

        var sequential = new CollectingSink(builder.Width);
        var tiles = await new TileRowMapper(segmenter, MapEngine.Sequential).MapRowsAsync(
            scene, grid, BandProfile.L4s, builder.NoData, 0, grid.Rows, 2, sequential, new StageTimings(), null, CancellationToken.None);
        var pipelined = new CollectingSink(builder.Width);
        var timings = new StageTimings();
        var pipelinedTiles = await new TileRowMapper(segmenter, MapEngine.Pipelined).MapRowsAsync(
            scene, grid, BandProfile.L4s, builder.NoData, 0, grid.Rows, 2, pipelined, timings, null, CancellationToken.None);
        var chunked = new CollectingSink(builder.Width);
        foreach (var (first, end) in new[] { (0, 1), (1, 3), (3, grid.Rows) })
        {
            await new TileRowMapper(segmenter).MapRowsAsync(
                scene, grid, BandProfile.L4s, builder.NoData, first, end, 2, chunked, new StageTimings(), null, CancellationToken.None);
        }

        Assert.Equal(grid.TileCount, tiles);
        Assert.Equal(tiles, pipelinedTiles);
        Assert.Equal(Enumerable.Range(0, builder.Height), sequential.Rows.Keys.Order());
        Assert.Equal(Enumerable.Range(0, builder.Height), pipelined.Rows.Keys.Order());
        Assert.Equal(Enumerable.Range(0, builder.Height), chunked.Rows.Keys.Order());
        Assert.Contains(sequential.Rows.Values, row => row.Any(float.IsNaN));
        foreach (var (row, values) in sequential.Rows)
        {
            // Bit for bit: compare the raw bits, so NaN payloads and -0 count too.
            Assert.True(Bits(values).SequenceEqual(Bits(pipelined.Rows[row])), $"row {row} differs between sequential and pipelined");
            Assert.True(Bits(values).SequenceEqual(Bits(chunked.Rows[row])), $"row {row} differs between sequential and pipelined chunks");
        }

        Assert.Contains("inference_wait", timings.ToSeconds().Keys);
    }

    [Fact]
    public async Task Map_BothEngines_WriteTheSamePixelsAndPolygons_AndThePipelinedRunGivesGdalsCacheBack()
    {
        var (scene, _, _) = OpenScene(500, 430);
        scene.Dispose();
        using var segmenter = await OpenConvAsync();
        var mapper = new SceneMapper(segmenter, NullLogger<SceneMapper>.Instance);
        var cacheBefore = Raster.GdalSettings.BlockCacheBytes;
        var results = new Dictionary<MapEngine, MapResult>();
        foreach (var engine in new[] { MapEngine.Sequential, MapEngine.Pipelined })
        {
            // A low threshold so the conv model's output gives polygons to compare.
            var options = new MapOptions { BatchSize = 2, Engine = engine, Threshold = 0.3, MinAreaM2 = 0, MinMeanProbability = 0 };
            results[engine] = await mapper.MapAsync(new MapRequest(_temp.File("scene.tif"), _temp.File($"out-{engine}"), options), null, CancellationToken.None)
                .WaitAsync(HangLimit);
        }

        Assert.Equal(cacheBefore, Raster.GdalSettings.BlockCacheBytes);
        var (sequential, pipelined) = (results[MapEngine.Sequential], results[MapEngine.Pipelined]);
        Assert.Equal(sequential.Run.Counts, pipelined.Run.Counts);
        Assert.True(sequential.Run.Counts.Polygons > 0, "the scene should give polygons at threshold 0.3");
        foreach (var name in new[] { OutputNames.Probability, OutputNames.Mask })
        {
            Assert.Equal(Pixels(Path.Combine(sequential.OutputDirectory, name)), Pixels(Path.Combine(pipelined.OutputDirectory, name)));
        }

        Assert.Equal(
            Features(Path.Combine(sequential.OutputDirectory, OutputNames.Polygons)),
            Features(Path.Combine(pipelined.OutputDirectory, OutputNames.Polygons)));
        foreach (var name in RunOutputWriter.Outputs)
        {
            Assert.True(File.Exists(Path.Combine(pipelined.OutputDirectory, name)), $"{name} missing");
        }

        static uint[] Pixels(string path)
        {
            using var raster = RasterScene.Open(path);
            var values = new float[raster.Info.Width * raster.Info.Height];
            raster.ReadWindow(0, 0, raster.Info.Width, raster.Info.Height, values);
            return Bits(values);
        }

        static string Features(string path) =>
            System.Text.Json.JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("features").GetRawText();
    }

    [Fact]
    public async Task Map_WhenTheSegmenterThrowsMidScene_FailsWithThatErrorAndLeavesNoOutput()
    {
        var (scene, _, _) = OpenScene(600, 600);
        scene.Dispose();
        using var inner = await OpenConvAsync();
        var failing = new FailingSegmenter(inner, failOnCall: 4);
        var mapper = new SceneMapper(failing, NullLogger<SceneMapper>.Instance);
        var output = _temp.File("out");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => mapper.MapAsync(new MapRequest(_temp.File("scene.tif"), output, new MapOptions { BatchSize = 2 }), null, CancellationToken.None).WaitAsync(HangLimit));

        Assert.Equal(FailingSegmenter.Message, error.Message);
        Assert.Equal(4, failing.Calls);
        Assert.False(File.Exists(Path.Combine(output, OutputNames.Probability)));
        Assert.False(File.Exists(Path.Combine(output, OutputNames.Mask)));
        Assert.Empty(Directory.GetFiles(output, "*.tif"));
    }

    [Fact]
    public async Task MapRows_WhenTheSinkThrows_FailsWithThatError()
    {
        var (scene, grid, builder) = OpenScene(300, 500);
        using var _ = scene;
        using var segmenter = await OpenConvAsync();

        var error = await Assert.ThrowsAsync<IOException>(() => new TileRowMapper(segmenter).MapRowsAsync(
            scene, grid, BandProfile.L4s, builder.NoData, 0, grid.Rows, 2, new FailingSink(), new StageTimings(), null, CancellationToken.None).WaitAsync(HangLimit));

        Assert.Equal(FailingSink.Message, error.Message);
    }

    [Theory]
    [InlineData(MapEngine.Pipelined)]
    [InlineData(MapEngine.Sequential)]
    public async Task MapRows_CancelledMidScene_EndsWithOperationCanceled(MapEngine engine)
    {
        var (scene, grid, builder) = OpenScene(500, 600);
        using var _ = scene;
        using var inner = await OpenConvAsync();
        using var cancellation = new CancellationTokenSource();
        var cancelling = new FailingSegmenter(inner, failOnCall: int.MaxValue) { OnCall = call => { if (call == 3) { cancellation.Cancel(); } } };
        var sink = new CollectingSink(builder.Width);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TileRowMapper(cancelling, engine).MapRowsAsync(
            scene, grid, BandProfile.L4s, builder.NoData, 0, grid.Rows, 2, sink, new StageTimings(), null, cancellation.Token).WaitAsync(HangLimit));

        // Stopped early: at most the batches already in the pipeline ran after the cancelling call.
        Assert.InRange(cancelling.Calls, 3, 3 + PipelinedTileRows.BatchCount);
        Assert.True(sink.Rows.Count < builder.Height);
    }

    private (RasterScene Scene, TileGrid Grid, SceneBuilder Builder) OpenScene(int width, int height)
    {
        var builder = new SceneBuilder { Width = width, Height = height };
        var path = builder.Write(_temp.File("scene.tif"), (b, x, y) =>
            x is > 150 and < 260 && y is > 40 and < 200 ? -9999f : 0.5f + (0.4f * MathF.Sin((x + (b * 7)) / 13f) * MathF.Cos(y / 19f)));
        return (RasterScene.Open(path), new TileGrid(width, height, overlap: 32), builder);
    }

    private async Task<OnnxSegmenter> OpenConvAsync()
    {
        var modelPath = _temp.File($"conv-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(modelPath, TinyOnnxModels.Conv3x3Stack(width: 4, layers: 2));
        return OnnxSegmenter.Open(new InferenceOptions { ModelPath = modelPath, BatchSize = 2 });
    }

    private static uint[] Bits(float[] values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();

    private sealed class CollectingSink(int width) : ITileRowSink
    {
        public Dictionary<int, float[]> Rows { get; } = [];

        public void OnRows(int startRow, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> strip, int stripY, int stripRows)
        {
            for (var r = 0; r < probabilities.Length / width; r++)
            {
                Assert.True(Rows.TryAdd(startRow + r, probabilities.Slice(r * width, width).ToArray()), $"row {startRow + r} handed over twice");
            }
        }
    }

    private sealed class FailingSink : ITileRowSink
    {
        public const string Message = "disk full (test)";

        public void OnRows(int startRow, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> strip, int stripY, int stripRows) =>
            throw new IOException(Message);
    }

    /// <summary>Delegates to a real segmenter and throws on one call, as a model server failing mid-scene would.</summary>
    private sealed class FailingSegmenter(ITileSegmenter inner, int failOnCall) : ITileSegmenter
    {
        public const string Message = "the model server failed (test)";
        private int _calls;

        public int Calls => _calls;

        public Action<int>? OnCall { get; init; }

        public ModelDescriptor Model => inner.Model;

        public ValueTask SegmentAsync(ReadOnlyMemory<float> features, Memory<float> probabilities, int count, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            OnCall?.Invoke(call);
            return call == failOnCall
                ? ValueTask.FromException(new InvalidOperationException(Message))
                : inner.SegmentAsync(features, probabilities, count, cancellationToken);
        }
    }
}
