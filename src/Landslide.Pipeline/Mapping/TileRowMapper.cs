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
            : await new SequentialTileRows(segmenter, scene, grid, profile, noData, batchSize, sink, timings, progress)
                .RunAsync(firstTileRow, endTileRow, cancellationToken).ConfigureAwait(false);
        PipelineTelemetry.TilesMapped(tiles, engine);
        activity?.SetTag("landslide.tiles", tiles);
        return tiles;
    }
}
