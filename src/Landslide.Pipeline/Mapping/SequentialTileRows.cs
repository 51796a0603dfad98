using System.Buffers;
using System.Diagnostics;
using Landslide.Core.Blending;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;
using Landslide.Raster.Scenes;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// The sequential engine of <see cref="TileRowMapper"/>: read a strip, then per batch cut + features, segment and
/// blend, one after another with one strip and one batch: the mapper as it was before pipelining, kept as the
/// benchmarks' baseline and as the reference the pipelined engine's rows must equal bit for bit.
/// </summary>
internal sealed class SequentialTileRows(
    ITileSegmenter segmenter,
    RasterScene scene,
    TileGrid grid,
    BandProfile profile,
    double? noData,
    int batchSize,
    ITileRowSink sink,
    StageTimings timings,
    IProgress<MapProgress>? progress)
{
    public async Task<long> RunAsync(int firstTileRow, int endTileRow, CancellationToken cancellationToken)
    {
        var width = grid.Width;
        var haloRow = Math.Max(0, firstTileRow - 1);
        var blender = new TileBlender(grid, haloRow);
        var cutter = new TileCutter(grid.Width, grid.Height, profile, noData);
        var totalTiles = (long)(endTileRow - haloRow) * grid.Columns;

        var strip = ArrayPool<float>.Shared.Rent(ModelContract.InputBands * TileGrid.TileSize * width);
        var tileBands = ArrayPool<float>.Shared.Rent(batchSize * ModelContract.BandValuesPerTile);
        var valid = ArrayPool<byte>.Shared.Rent(batchSize * ModelContract.PixelsPerTile);
        var features = ArrayPool<float>.Shared.Rent(batchSize * ModelContract.FeatureValuesPerTile);
        var probabilities = ArrayPool<float>.Shared.Rent(batchSize * ModelContract.PixelsPerTile);
        var finalRows = ArrayPool<float>.Shared.Rent(TileBlender.MaxRowsPerCompletion * width);
        var tiles = new TileWindow[batchSize];
        long tilesDone = 0;
        try
        {
            for (var row = haloRow; row < endTileRow; row++)
            {
                // Rows the tiles of this row need, reflected rows past the bottom edge included.
                var (stripY, stripEnd) = cutter.SourceRows(row * grid.Stride);
                var stripRows = stripEnd - stripY;
                var stripValues = ModelContract.InputBands * stripRows * width;
                timings.Time("read", () => scene.ReadWindow(0, stripY, width, stripRows, strip.AsSpan(0, stripValues)));

                for (var column = 0; column < grid.Columns; column += batchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var count = Math.Min(batchSize, grid.Columns - column);
                    var watch = Stopwatch.StartNew();
                    TileBatches.CutAndComputeFeatures(grid, cutter, strip.AsSpan(0, stripValues), stripY, stripRows, row, column, count, tiles, tileBands, valid, features);
                    timings.Add("features", watch.Elapsed);

                    watch.Restart();
                    await segmenter.SegmentAsync(
                        features.AsMemory(0, count * ModelContract.FeatureValuesPerTile),
                        probabilities.AsMemory(0, count * ModelContract.PixelsPerTile),
                        count,
                        cancellationToken).ConfigureAwait(false);
                    timings.Add("inference", watch.Elapsed);
                    PipelineTelemetry.BatchSegmented();

                    watch.Restart();
                    for (var t = 0; t < count; t++)
                    {
                        blender.Accumulate(
                            tiles[t],
                            probabilities.AsSpan(t * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile),
                            valid.AsSpan(t * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile));
                    }

                    timings.Add("blend_write", watch.Elapsed);
                    tilesDone += count;
                    progress?.Report(new MapProgress("segment", tilesDone, totalTiles));
                }

                var write = Stopwatch.StartNew();
                var (start, end) = blender.CompleteRow(finalRows);

                // The halo row's own rows miss the tile row above it: only its overlap into our rows counts.
                if (row >= firstTileRow)
                {
                    sink.OnRows(start, finalRows.AsSpan(0, (end - start) * width), strip.AsSpan(0, stripValues), stripY, stripRows);
                }

                timings.Add("blend_write", write.Elapsed);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(strip);
            ArrayPool<float>.Shared.Return(tileBands);
            ArrayPool<byte>.Shared.Return(valid);
            ArrayPool<float>.Shared.Return(features);
            ArrayPool<float>.Shared.Return(probabilities);
            ArrayPool<float>.Shared.Return(finalRows);
        }

        return tilesDone;
    }
}
