using Landslide.Core.Scenes;
using Landslide.Core.Tiling;
using Landslide.Inference;
using Landslide.Pipeline.Mapping;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;

namespace Landslide.Pipeline.Tests.Mapping;

public sealed class TileRowMapperTests : IDisposable
{
    private readonly TempDirectory _temp = new("rows");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task MapRows_InChunksWithAHalo_GivesExactlyTheRowsOfOnePass()
    {
        var builder = new SceneBuilder { Width = 260, Height = 520 };
        var scenePath = builder.Write(_temp.File("scene.tif"), (b, x, y) => 0.5f + (0.4f * MathF.Sin((x + (b * 7)) / 13f) * MathF.Cos(y / 19f)));
        var modelPath = _temp.File("model.onnx");
        await File.WriteAllBytesAsync(modelPath, TinyOnnxModels.Conv3x3Stack(width: 4, layers: 2));
        using var segmenter = OnnxSegmenter.Open(new InferenceOptions { ModelPath = modelPath, BatchSize = 3 });
        using var scene = RasterScene.Open(scenePath);
        var grid = new TileGrid(builder.Width, builder.Height, overlap: 32);
        var mapper = new TileRowMapper(segmenter);

        var whole = new CollectingSink(builder.Width);
        await mapper.MapRowsAsync(scene, grid, BandProfile.L4s, builder.NoData, 0, grid.Rows, 3, whole, new StageTimings(), null, CancellationToken.None);
        var chunked = new CollectingSink(builder.Width);
        foreach (var (first, end) in new[] { (0, 2), (2, 3), (3, grid.Rows) })
        {
            await mapper.MapRowsAsync(scene, grid, BandProfile.L4s, builder.NoData, first, end, 3, chunked, new StageTimings(), null, CancellationToken.None);
        }

        Assert.Equal(builder.Height, whole.Rows.Count);
        Assert.Equal(Enumerable.Range(0, builder.Height), chunked.Rows.Keys.Order());
        foreach (var (row, values) in whole.Rows)
        {
            Assert.True(values.SequenceEqual(chunked.Rows[row]), $"row {row} differs between one pass and chunks");
        }
    }

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
}
