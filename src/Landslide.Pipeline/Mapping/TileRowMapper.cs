using System.Buffers;
using System.Diagnostics;
using Landslide.Core.Blending;
using Landslide.Core.Features;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;
using Landslide.Raster.Scenes;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// Streams tile rows of a scene through cutting, features, the segmenter and blending, and hands each block of final
/// probability rows to a sink. The one-machine path runs it over every tile row; a cloud chunk runs it over its own
/// tile rows plus the one before them (the halo), so both paths give the same probabilities.
/// <para>
/// Two engines give bit-identical rows (every batch holds the same tiles and the blender sees them in the same
/// order): <see cref="MapEngine.Pipelined"/> (default) overlaps the stages through bounded channels, memory = a few
/// strips of at most 128 rows x the scene width plus a few batches (see <see cref="PipelinedTileRows"/>);
/// <see cref="MapEngine.Sequential"/> runs them one after another with one strip and one batch.
/// </para>
/// </summary>
public sealed class TileRowMapper(ITileSegmenter segmenter, MapEngine engine = MapEngine.Pipelined)
{
    /// <summary>The engine this mapper runs.</summary>
    public MapEngine Engine => engine;

    /// <summary>
    /// Maps tile rows [<paramref name="firstTileRow"/>, <paramref name="endTileRow"/>) and hands the sink scene rows
    /// [firstTileRow x stride, end of endTileRow - 1's final rows). Returns the tiles segmented, halo included.
    /// </summary>
    public async Task<long> MapRowsAsync(
        RasterScene scene,
        TileGrid grid,
        BandProfile profile,
        double? noData,
        int firstTileRow,
        int endTileRow,
        int batchSize,
        ITileRowSink sink,
        StageTimings timings,
        IProgress<MapProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(timings);
        ArgumentOutOfRangeException.ThrowIfNegative(firstTileRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endTileRow, grid.Rows);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(endTileRow, firstTileRow);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);

        using var activity = PipelineTelemetry.StartStage("map.tile_rows");
        activity?.SetTag("landslide.tile_rows", $"{firstTileRow}-{endTileRow}");
        var tiles = engine == MapEngine.Pipelined
            ? await new PipelinedTileRows(segmenter, scene, grid, profile, noData, batchSize, sink, timings, progress)
                .RunAsync(firstTileRow, endTileRow, cancellationToken).ConfigureAwait(false)
            : await SequentialAsync(scene, grid, profile, noData, firstTileRow, endTileRow, batchSize, sink, timings, progress, cancellationToken)
                .ConfigureAwait(false);
        PipelineTelemetry.TilesMapped(tiles, engine);
        activity?.SetTag("landslide.tiles", tiles);
        return tiles;
    }

    private async Task<long> SequentialAsync(
        RasterScene scene,
        TileGrid grid,
        BandProfile profile,
        double? noData,
        int firstTileRow,
        int endTileRow,
        int batchSize,
        ITileRowSink sink,
        StageTimings timings,
        IProgress<MapProgress>? progress,
        CancellationToken cancellationToken)
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
                    for (var t = 0; t < count; t++)
                    {
                        tiles[t] = grid[column + t, row];
                        cutter.Cut(
                            strip.AsSpan(0, stripValues), stripY, stripRows, tiles[t],
                            tileBands.AsSpan(t * ModelContract.BandValuesPerTile, ModelContract.BandValuesPerTile),
                            valid.AsSpan(t * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile));
                    }

                    FeatureExtractor.ComputeBatch(
                        tileBands.AsSpan(0, count * ModelContract.BandValuesPerTile), features.AsSpan(0, count * ModelContract.FeatureValuesPerTile), count);
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
