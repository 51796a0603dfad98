using System.Diagnostics;
using Landslide.Core.Segmentation;
using Landslide.Training.Data;
using Landslide.Training.Evaluation;
using Landslide.Training.Modeling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Landslide.Training;

/// <summary>
/// Trains a <see cref="RauNet"/> with docs/MODEL.md's recipe: focal + soft IoU loss on three heads, Adam with the step
/// schedule, seeded augmentation (off for the final epochs), a checkpoint every epoch and resume from it.
/// </summary>
public sealed partial class Trainer
{
    private readonly TrainingOptions _options;
    private readonly ILogger _logger;

    public Trainer(TrainingOptions options, ILogger<Trainer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Sees the tile ids of every optimizer step's batch (audits: what was trained on).</summary>
    public Action<IReadOnlyList<string>>? BatchObserver { get; init; }

    /// <summary>Called after each epoch's checkpoint is written (e.g. to copy it to blob storage), with the epochs done.</summary>
    public Action<int>? CheckpointWritten { get; init; }

    /// <summary>The device a run will use: CUDA when asked for or (Auto) when available, else CPU.</summary>
    public static Device ResolveDevice(TrainingDevice device) => device switch
    {
        TrainingDevice.Cuda => CUDA,
        TrainingDevice.Cpu => CPU,
        _ => cuda.is_available() ? CUDA : CPU,
    };

    /// <summary>
    /// Trains on <paramref name="train"/>; <paramref name="validation"/> (optional) is scored every epoch. Resumes
    /// from <see cref="TrainingOptions.CheckpointDirectory"/> when it holds a checkpoint.
    /// </summary>
    public TrainingResult Train(IReadOnlyList<LabelledTile> train, IReadOnlyList<LabelledTile>? validation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new TrainingDataException(TrainingDataError.NotEnoughData, "no training tiles");
        }

        var device = ResolveDevice(_options.Device);
        set_num_threads(_options.CpuThreads);
        random.manual_seed(_options.Seed);
        var checkpointDir = _options.CheckpointDirectory;
        var resume = checkpointDir is not null && TrainingCheckpoint.Exists(checkpointDir);
        var state = resume ? TrainingCheckpoint.ReadState(checkpointDir!) : null;
        if (state is not null && _options.CheckpointFingerprint is { } expected && state.Fingerprint != expected)
        {
            // Another run's weights (other settings or data): never continue them under this run's name.
            LogStaleCheckpoint(_logger, checkpointDir!, state.Fingerprint ?? "none", expected);
            resume = false;
            state = null;
        }

        var initial = !resume && _options.InitialCheckpoint is { } parent ? TrainingCheckpoint.ReadState(parent) : null;
        var model = new RauNet(state?.Model ?? initial?.Model ?? _options.Model);
        try
        {
            if (resume)
            {
                model.load(Path.Combine(checkpointDir!, TrainingCheckpoint.ModelFile));
            }
            else if (initial is not null)
            {
                model.load(Path.Combine(_options.InitialCheckpoint!, TrainingCheckpoint.ModelFile));
                LogFineTuning(_logger, _options.InitialCheckpoint!);
            }

            model.to(device);
            using var optimizer = optim.Adam(model.parameters(), lr: LearningRateSchedule.ForEpoch(0) * _options.LearningRateScale, eps: 1e-7);
            if (resume)
            {
                TrainingCheckpoint.LoadOptimizer(checkpointDir!, optimizer);
                LogResuming(_logger, checkpointDir!, state!.CompletedEpochs);
            }

            var history = new List<EpochSummary>(state?.History ?? []);
            for (var epoch = state?.CompletedEpochs ?? 0; epoch < _options.Epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var summary = RunEpoch(model, optimizer, train, validation, epoch, device, cancellationToken);
                history.Add(summary);
                LogEpoch(_logger, epoch + 1, _options.Epochs, summary.MeanLoss, summary.LearningRate, summary.Seconds, summary.Validation?.LandslideF1, summary.Heads?.Head256, summary.Heads?.Head128, summary.Heads?.Head64);
                if (checkpointDir is not null)
                {
                    TrainingCheckpoint.Save(checkpointDir, model, optimizer, new CheckpointState(epoch + 1, model.Options, history, _options.Threshold, _options.CheckpointFingerprint));
                    CheckpointWritten?.Invoke(epoch + 1);
                }
            }

            model.to(CPU);
            model.eval();
            return new TrainingResult(model, history);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private EpochSummary RunEpoch(
        RauNet model,
        TorchSharp.Modules.OptimizerHelper optimizer,
        IReadOnlyList<LabelledTile> train,
        IReadOnlyList<LabelledTile>? validation,
        int epoch,
        Device device,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var rate = LearningRateSchedule.ForEpoch(epoch) * _options.LearningRateScale;
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }

        // Seeds derive from the epoch (not HashCode, which is salted per process) so a resumed run sees the same batches as an uninterrupted one.
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(unchecked((_options.Seed * 1_000_003) + epoch)).Shuffle(order);
        var augment = _options.Augment && epoch < _options.Epochs - _options.PlainFinalEpochs;
        var augmenter = augment ? new Augmenter(train, unchecked((_options.Seed * 1_000_003) + epoch + 500_009)) : null;
        var steps = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        if (_options.MaxStepsPerEpoch is { } cap)
        {
            steps = Math.Min(steps, cap);
        }

        model.train();
        double lossSum = 0, sum256 = 0, sum128 = 0, sum64 = 0;
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.Skip(step * _options.BatchSize).Take(_options.BatchSize).Select(i => train[i]).ToList();
            BatchObserver?.Invoke([.. batch.Select(t => t.Id)]);
            using var scope = NewDisposeScope();
            var (x, y) = MakeBatch(batch, augmenter, device);
            optimizer.zero_grad();
            var (loss, head256, head128, head64) = SegmentationLoss.ComputeWithHeads(model.forward(x), y);
            var value = loss.item<float>();
            if (!float.IsFinite(value))
            {
                // Stop before a non-finite step poisons the weights and the checkpoint.
                throw new InvalidOperationException($"training diverged at epoch {epoch + 1}, step {step + 1}: loss {value}; lower the learning rate (scale {_options.LearningRateScale})");
            }

            loss.backward();
            optimizer.step();
            lossSum += value;
            sum256 += head256.item<float>();
            sum128 += head128.item<float>();
            sum64 += head64.item<float>();
        }

        var metrics = validation is { Count: > 0 } ? Evaluator.Evaluate(model, validation, _options.Threshold, device).AtThreshold : null;
        var heads = new HeadLosses(sum256 / steps, sum128 / steps, sum64 / steps);
        return new EpochSummary(epoch, rate, lossSum / steps, steps, stopwatch.Elapsed.TotalSeconds, metrics, heads);
    }

    /// <summary>Stacks tiles (augmented when an augmenter is given) into x [B, 23, 128, 128] and y [B, 128, 128].</summary>
    internal static (Tensor Features, Tensor Mask) MakeBatch(IReadOnlyList<LabelledTile> batch, Augmenter? augmenter, Device device)
    {
        var features = new float[batch.Count * ModelContract.FeatureValuesPerTile];
        var masks = new byte[batch.Count * ModelContract.PixelsPerTile];
        for (var i = 0; i < batch.Count; i++)
        {
            var f = features.AsSpan(i * ModelContract.FeatureValuesPerTile, ModelContract.FeatureValuesPerTile);
            var m = masks.AsSpan(i * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile);
            if (augmenter is null)
            {
                batch[i].Features.CopyTo(f);
                batch[i].Mask.CopyTo(m);
            }
            else
            {
                augmenter.Apply(batch[i], f, m);
            }
        }

        // torch.tensor(array) may alias the managed array; clone so the tensor owns its memory (seen as NaNs otherwise).
        using var xShared = tensor(features, [batch.Count, ModelContract.FeatureChannels, ModelContract.TileSize, ModelContract.TileSize]);
        using var yShared = tensor(masks, [batch.Count, ModelContract.TileSize, ModelContract.TileSize]);
        var x = xShared.clone().to(device);
        var y = yShared.clone().to(device);
        GC.KeepAlive(features);
        GC.KeepAlive(masks);
        return (x, y);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint in {Checkpoint} is from other settings or data (fingerprint {Found}, this run {Expected}): not reused, starting fresh")]
    private static partial void LogStaleCheckpoint(ILogger logger, string checkpoint, string found, string expected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fine-tuning from the weights in {Checkpoint}")]
    private static partial void LogFineTuning(ILogger logger, string checkpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming from {Checkpoint} after epoch {Epoch}")]
    private static partial void LogResuming(ILogger logger, string checkpoint, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch}/{Epochs}: loss {Loss:F4}, lr {LearningRate:G3}, {Seconds:F1} s, validation landslide F1 {F1}; head loss 256/128/64 px {Loss256:F4}/{Loss128:F4}/{Loss64:F4}")]
    private static partial void LogEpoch(ILogger logger, int epoch, int epochs, double loss, double learningRate, double seconds, double? f1, double? loss256, double? loss128, double? loss64);
}
