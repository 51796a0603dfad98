using System.Threading.Channels;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Models;
using Landslide.InferenceServer.Telemetry;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer.Batching;

/// <summary>
/// Merges concurrent requests into model calls: a bounded queue (full = the caller answers 429), one reader that
/// takes the first job, waits up to MaxBatchWait for more while the batch has room for the next job whole, runs
/// one segmenter call over a pinned buffer allocated once, and hands each job its own slice back.
/// </summary>
internal sealed partial class DynamicBatcher : BackgroundService
{
    private readonly Channel<SegmentJob> _queue;
    private readonly ModelSlot _slot;
    private readonly InferenceServerTelemetry _telemetry;
    private readonly ILogger<DynamicBatcher> _logger;
    private readonly int _maxBatchTiles;
    private readonly TimeSpan _maxWait;
    private readonly float[] _batchFeatures;
    private readonly float[] _batchProbabilities;
    private readonly List<SegmentJob> _batch = [];

    public DynamicBatcher(ModelSlot slot, InferenceServerTelemetry telemetry, IOptions<InferenceServerOptions> options, ILogger<DynamicBatcher> logger)
    {
        var o = options.Value;
        _slot = slot;
        _telemetry = telemetry;
        _logger = logger;
        _maxBatchTiles = o.MaxBatchTiles;
        _maxWait = o.MaxBatchWait;
        _queue = Channel.CreateBounded<SegmentJob>(new BoundedChannelOptions(o.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        telemetry.ObserveQueue(() => _queue.Reader.Count);

        // Pinned once for the life of the service: the segmenter wraps them in place batch after batch.
        _batchFeatures = GC.AllocateUninitializedArray<float>(_maxBatchTiles * ModelContract.FeatureValuesPerTile, pinned: true);
        _batchProbabilities = GC.AllocateUninitializedArray<float>(_maxBatchTiles * ModelContract.PixelsPerTile, pinned: true);
    }

    /// <summary>Queues a job; false when the queue is full.</summary>
    public bool TryEnqueue(SegmentJob job) => _queue.Writer.TryWrite(job);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await CollectAsync(reader, stoppingToken).ConfigureAwait(false);
                if (_batch.Count > 0)
                {
                    await RunAsync(stoppingToken).ConfigureAwait(false);
                }

                _batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fail whatever is still queued rather than leave callers hanging.
            foreach (var job in _batch)
            {
                job.Completion.TrySetException(new ModelNotReadyException("the service is stopping"));
            }

            while (reader.TryRead(out var job))
            {
                job.Completion.TrySetException(new ModelNotReadyException("the service is stopping"));
            }
        }
    }

    private async Task CollectAsync(ChannelReader<SegmentJob> reader, CancellationToken stoppingToken)
    {
        var tiles = 0;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var waitStarted = false;
        while (true)
        {
            if (reader.TryPeek(out var next))
            {
                // A job runs whole: if it does not fit, it opens the next batch instead.
                if (_batch.Count > 0 && tiles + next.Tiles > _maxBatchTiles)
                {
                    return;
                }

                reader.TryRead(out _);
                if (next.RequestAborted.IsCancellationRequested)
                {
                    next.Completion.TrySetCanceled(next.RequestAborted);
                    continue;
                }

                _batch.Add(next);
                _telemetry.Queued(System.Diagnostics.Stopwatch.GetElapsedTime(next.QueuedAt));
                tiles += next.Tiles;
                if (tiles >= _maxBatchTiles)
                {
                    return;
                }

                continue;
            }

            if (_batch.Count == 0 && !waitStarted)
            {
                // Everything read so far was abandoned; wait for real work without a deadline.
                if (!await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            if (!waitStarted)
            {
                waitStarted = true;
                wait.CancelAfter(_maxWait);
            }

            try
            {
                if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var model = _slot.Acquire();
        if (model is null)
        {
            foreach (var job in _batch)
            {
                job.Completion.TrySetException(new ModelNotReadyException());
            }

            return;
        }

        var tiles = _batch.Sum(j => j.Tiles);
        using var activity = InferenceServerTelemetry.Source.StartActivity("inference.batch");
        activity?.SetTag("landslide.tiles", tiles);
        activity?.SetTag("landslide.requests", _batch.Count);
        activity?.SetTag("landslide.model_version", model.Descriptor.Version);
        try
        {
            if (_batch.Count == 1 || tiles > _maxBatchTiles)
            {
                // One job (possibly larger than a batch): the segmenter works on its buffers directly.
                var job = _batch[0];
                await model.Segmenter.SegmentAsync(
                    job.Features.AsMemory(0, job.Tiles * ModelContract.FeatureValuesPerTile),
                    job.Probabilities.AsMemory(0, job.Tiles * ModelContract.PixelsPerTile),
                    job.Tiles,
                    stoppingToken).ConfigureAwait(false);
            }
            else
            {
                var offset = 0;
                foreach (var job in _batch)
                {
                    var length = job.Tiles * ModelContract.FeatureValuesPerTile;
                    job.Features.AsSpan(0, length).CopyTo(_batchFeatures.AsSpan(offset));
                    offset += length;
                }

                await model.Segmenter.SegmentAsync(
                    _batchFeatures.AsMemory(0, offset),
                    _batchProbabilities.AsMemory(0, tiles * ModelContract.PixelsPerTile),
                    tiles,
                    stoppingToken).ConfigureAwait(false);

                offset = 0;
                foreach (var job in _batch)
                {
                    var length = job.Tiles * ModelContract.PixelsPerTile;
                    _batchProbabilities.AsSpan(offset, length).CopyTo(job.Probabilities);
                    offset += length;
                }
            }

            _telemetry.BatchRan(tiles);
            var outcome = new BatchOutcome(model.Descriptor.Version, tiles, _batch.Count);
            foreach (var job in _batch)
            {
                job.Completion.TrySetResult(outcome);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogBatchFailed(ex, tiles, _batch.Count);
            foreach (var job in _batch)
            {
                job.Completion.TrySetException(ex);
            }
        }
        finally
        {
            model.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Model call over {Tiles} tiles from {Requests} requests failed")]
    private partial void LogBatchFailed(Exception exception, int tiles, int requests);
}
