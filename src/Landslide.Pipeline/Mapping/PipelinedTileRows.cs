using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Landslide.Core.Blending;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;
using Landslide.Raster.Scenes;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// The pipelined engine of <see cref="TileRowMapper"/>: four stages, each on its own task, joined by bounded channels
/// of capacity one: read (a strip of tile-row source rows) -> cut + features (one batch) -> inference -> blend + write
/// (hands finished rows to the sink). Each stage keeps the order it receives, so every batch holds the same tiles
/// and the blender sees them in the same order as the sequential engine: the rows are bit-identical.
/// <para>
/// Memory is bounded by the buffers in circulation, never the scene: <see cref="StripCount"/> strips (a strip is
/// released only once its tile row is blended, because the sink reads its raw bands for the quicklook) and
/// <see cref="BatchCount"/> batches (features, valid masks, probabilities), all rented once and handed back and
/// forth through free lists; a stage that finds no free buffer waits, which is the back-pressure.
/// </para>
/// <para>
/// Failure: the first exception of any stage cancels the others (a linked token every wait and the segmenter get)
/// and is the one rethrown; cancellation by the caller surfaces as <see cref="OperationCanceledException"/>. All
/// stages have ended before the buffers go back to the pool, so nothing still writes into a returned array.
/// </para>
/// </summary>
internal sealed class PipelinedTileRows(
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
    /// <summary>One strip being read, one being cut, one whose tile row is still being blended.</summary>
    internal const int StripCount = 3;

    /// <summary>One batch being cut, one segmented, one blended, one queued between them.</summary>
    internal const int BatchCount = 4;

    private static readonly BoundedChannelOptions OneAhead = new(1) { SingleReader = true, SingleWriter = true };

    private Exception? _failure;
    private long _tilesDone;

    public async Task<long> RunAsync(int firstTileRow, int endTileRow, CancellationToken cancellationToken)
    {
        var width = grid.Width;
        var haloRow = Math.Max(0, firstTileRow - 1);
        var totalTiles = (long)(endTileRow - haloRow) * grid.Columns;
        var freeStrips = Channel.CreateUnbounded<Strip>();
        var freeBatches = Channel.CreateUnbounded<Batch>();
        var strips = new Strip[StripCount];
        var batches = new Batch[BatchCount];
        for (var i = 0; i < strips.Length; i++)
        {
            // Allocated per run, not pooled: at 8192 px a strip is 59 MB, and a pool would keep all three alive
            // through the COG copies that follow, where the run's memory peaks.
            strips[i] = new Strip(GC.AllocateUninitializedArray<float>(ModelContract.InputBands * TileGrid.TileSize * width));
            freeStrips.Writer.TryWrite(strips[i]);
        }

        for (var i = 0; i < batches.Length; i++)
        {
            batches[i] = new Batch(batchSize);
            freeBatches.Writer.TryWrite(batches[i]);
        }

        var read = Channel.CreateBounded<Strip>(OneAhead);
        var cut = Channel.CreateBounded<Batch>(OneAhead);
        var segmented = Channel.CreateBounded<Batch>(OneAhead);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            Task[] stages =
            [
                Stage(token => ReadAsync(haloRow, endTileRow, freeStrips.Reader, read.Writer, token), read.Writer, stop),
                Stage(token => CutAsync(read.Reader, freeBatches.Reader, cut.Writer, token), cut.Writer, stop),
                Stage(token => SegmentAsync(cut.Reader, segmented.Writer, token), segmented.Writer, stop),
                Stage<Batch>(token => BlendAsync(haloRow, firstTileRow, totalTiles, segmented.Reader, freeBatches.Writer, freeStrips.Writer, token), null, stop),
            ];

            try
            {
                await Task.WhenAll(stages).ConfigureAwait(false);
            }
            catch (Exception) when (_failure is not null || cancellationToken.IsCancellationRequested)
            {
                // Handled below: the first real failure wins over the cancellations it caused.
            }

            if (_failure is not null)
            {
                ExceptionDispatchInfo.Throw(_failure);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return _tilesDone;
        }
        finally
        {
            foreach (var batch in batches)
            {
                batch.Return();
            }
        }
    }

    /// <summary>
    /// Runs one stage on the thread pool. On failure it records the exception (unless it is the cancellation another
    /// stage's failure caused), cancels the other stages, and completes its output so the next stage stops reading.
    /// </summary>
    private Task Stage<T>(Func<CancellationToken, Task> body, ChannelWriter<T>? output, CancellationTokenSource stop) =>
        Task.Run(async () =>
        {
            try
            {
                await body(stop.Token).ConfigureAwait(false);
                output?.TryComplete();
            }
            catch (Exception ex)
            {
                if (!(ex is OperationCanceledException && stop.IsCancellationRequested))
                {
                    Interlocked.CompareExchange(ref _failure, ex, null);
                }

                await stop.CancelAsync().ConfigureAwait(false);
                output?.TryComplete(ex);
                throw;
            }
        });

    private async Task ReadAsync(int firstRow, int endRow, ChannelReader<Strip> free, ChannelWriter<Strip> output, CancellationToken cancellationToken)
    {
        var cutter = new TileCutter(grid.Width, grid.Height, profile, noData);
        for (var row = firstRow; row < endRow; row++)
        {
            var strip = await free.ReadAsync(cancellationToken).ConfigureAwait(false);

            // Rows the tiles of this row need, reflected rows past the bottom edge included.
            var (y, end) = cutter.SourceRows(row * grid.Stride);
            strip.Row = row;
            strip.Y = y;
            strip.Rows = end - y;
            strip.Length = ModelContract.InputBands * strip.Rows * grid.Width;
            var watch = Stopwatch.StartNew();
            scene.ReadWindow(0, y, grid.Width, strip.Rows, strip.Values.AsSpan(0, strip.Length));
            timings.Add("read", watch.Elapsed);
            await output.WriteAsync(strip, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CutAsync(ChannelReader<Strip> input, ChannelReader<Batch> free, ChannelWriter<Batch> output, CancellationToken cancellationToken)
    {
        var cutter = new TileCutter(grid.Width, grid.Height, profile, noData);
        var tileBands = ArrayPool<float>.Shared.Rent(batchSize * ModelContract.BandValuesPerTile);
        try
        {
            await foreach (var strip in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                for (var column = 0; column < grid.Columns; column += batchSize)
                {
                    var batch = await free.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var watch = Stopwatch.StartNew();
                    var count = Math.Min(batchSize, grid.Columns - column);
                    TileBatches.CutAndComputeFeatures(
                        grid, cutter, strip.Values.AsSpan(0, strip.Length), strip.Y, strip.Rows, strip.Row, column, count, batch.Tiles, tileBands, batch.Valid, batch.Features);
                    timings.Add("features", watch.Elapsed);
                    batch.Count = count;
                    batch.Strip = strip;
                    batch.LastInRow = column + count == grid.Columns;
                    await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tileBands);
        }
    }

    private async Task SegmentAsync(ChannelReader<Batch> input, ChannelWriter<Batch> output, CancellationToken cancellationToken)
    {
        // Time the model sat waiting for a batch: what the CPU stages failed to hide.
        var waiting = Stopwatch.StartNew();
        while (await input.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (input.TryRead(out var batch))
            {
                timings.Add("inference_wait", waiting.Elapsed);
                var watch = Stopwatch.StartNew();
                await segmenter.SegmentAsync(
                    batch.Features.AsMemory(0, batch.Count * ModelContract.FeatureValuesPerTile),
                    batch.Probabilities.AsMemory(0, batch.Count * ModelContract.PixelsPerTile),
                    batch.Count,
                    cancellationToken).ConfigureAwait(false);
                timings.Add("inference", watch.Elapsed);
                PipelineTelemetry.BatchSegmented();
                await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                waiting.Restart();
            }
        }
    }

    private async Task BlendAsync(
        int haloRow,
        int firstTileRow,
        long totalTiles,
        ChannelReader<Batch> input,
        ChannelWriter<Batch> freeBatches,
        ChannelWriter<Strip> freeStrips,
        CancellationToken cancellationToken)
    {
        var width = grid.Width;
        var blender = new TileBlender(grid, haloRow);
        var finalRows = ArrayPool<float>.Shared.Rent(TileBlender.MaxRowsPerCompletion * width);
        try
        {
            await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var watch = Stopwatch.StartNew();
                for (var t = 0; t < batch.Count; t++)
                {
                    blender.Accumulate(
                        batch.Tiles[t],
                        batch.Probabilities.AsSpan(t * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile),
                        batch.Valid.AsSpan(t * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile));
                }

                var strip = batch.Strip!;
                var lastInRow = batch.LastInRow;
                _tilesDone += batch.Count;
                batch.Strip = null;
                freeBatches.TryWrite(batch);
                if (lastInRow)
                {
                    var (start, end) = blender.CompleteRow(finalRows);

                    // The halo row's own rows miss the tile row above it: only its overlap into our rows counts.
                    if (strip.Row >= firstTileRow)
                    {
                        sink.OnRows(start, finalRows.AsSpan(0, (end - start) * width), strip.Values.AsSpan(0, strip.Length), strip.Y, strip.Rows);
                    }

                    freeStrips.TryWrite(strip);
                }

                timings.Add("blend_write", watch.Elapsed);
                progress?.Report(new MapProgress("segment", _tilesDone, totalTiles));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(finalRows);
        }
    }

    /// <summary>Source rows of one tile row, band-sequential, as <see cref="RasterScene.ReadWindow"/> gives them.</summary>
    private sealed class Strip(float[] values)
    {
        public float[] Values { get; } = values;

        public int Row { get; set; }

        public int Y { get; set; }

        public int Rows { get; set; }

        public int Length { get; set; }
    }

    /// <summary>Up to batchSize tiles of one tile row on their way from the cutter to the blender.</summary>
    private sealed class Batch(int size)
    {
        public TileWindow[] Tiles { get; } = new TileWindow[size];

        public byte[] Valid { get; } = ArrayPool<byte>.Shared.Rent(size * ModelContract.PixelsPerTile);

        public float[] Features { get; } = ArrayPool<float>.Shared.Rent(size * ModelContract.FeatureValuesPerTile);

        public float[] Probabilities { get; } = ArrayPool<float>.Shared.Rent(size * ModelContract.PixelsPerTile);

        public int Count { get; set; }

        public Strip? Strip { get; set; }

        public bool LastInRow { get; set; }

        public void Return()
        {
            ArrayPool<byte>.Shared.Return(Valid);
            ArrayPool<float>.Shared.Return(Features);
            ArrayPool<float>.Shared.Return(Probabilities);
        }
    }
}
