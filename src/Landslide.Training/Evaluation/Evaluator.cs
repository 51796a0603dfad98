using Landslide.Core.Segmentation;
using Landslide.Training.Data;
using Landslide.Training.Modeling;
using static TorchSharp.torch;

namespace Landslide.Training.Evaluation;

/// <summary>
/// Scores a model on labelled tiles: pooled counts at the model threshold and at the sweep 0.50..0.95. Works with
/// the TorchSharp model or with any <see cref="ITileSegmenter"/> (the ONNX Runtime one for an exported model).
/// </summary>
public static class Evaluator
{
    private const int BatchSize = 4;

    /// <summary>Evaluates a TorchSharp model (eval mode, no gradients) on <paramref name="device"/> (default CPU).</summary>
    public static EvaluationReport Evaluate(RauNet model, IReadOnlyList<LabelledTile> tiles, double threshold, Device? device = null, string dataset = "")
        => Report(tiles, Predict(model, tiles, device), threshold, dataset);

    /// <summary>Landslide probabilities (128 x 128 each) of a TorchSharp model for <paramref name="tiles"/>, in order.</summary>
    public static IReadOnlyList<float[]> Predict(RauNet model, IReadOnlyList<LabelledTile> tiles, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tiles);
        var result = new List<float[]>(tiles.Count);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < tiles.Count; start += BatchSize)
            {
                var batch = tiles.Skip(start).Take(BatchSize).ToList();
                using var scope = NewDisposeScope();
                var (x, _) = Trainer.MakeBatch(batch, null, device ?? CPU);
                var probability = model.PredictProbability(x).cpu().data<float>().ToArray();
                for (var i = 0; i < batch.Count; i++)
                {
                    result.Add(probability.AsSpan(i * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile).ToArray());
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }

        return result;
    }

    /// <summary>Evaluates any segmenter, e.g. an exported ONNX model served by ONNX Runtime.</summary>
    public static async Task<EvaluationReport> EvaluateAsync(ITileSegmenter segmenter, IReadOnlyList<LabelledTile> tiles, double threshold, string dataset, CancellationToken cancellationToken)
        => Report(tiles, await PredictAsync(segmenter, tiles, cancellationToken).ConfigureAwait(false), threshold, dataset);

    /// <summary>Scores given probabilities (one 128 x 128 array per tile, in order) against the tiles' masks.</summary>
    public static EvaluationReport Report(IReadOnlyList<LabelledTile> tiles, IReadOnlyList<float[]> probabilities, double threshold, string dataset)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (tiles.Count != probabilities.Count)
        {
            throw new ArgumentException($"{tiles.Count} tiles but {probabilities.Count} probability maps", nameof(probabilities));
        }

        var accumulator = new MetricsAccumulator(threshold);
        for (var i = 0; i < tiles.Count; i++)
        {
            accumulator.Add(probabilities[i], tiles[i].Mask);
        }

        return new EvaluationReport(dataset, [.. tiles.Select(t => t.Id)], accumulator.AtThreshold, accumulator.Sweep);
    }

    /// <summary>Landslide probabilities of any segmenter (e.g. ONNX Runtime) for <paramref name="tiles"/>, in order.</summary>
    public static async Task<IReadOnlyList<float[]>> PredictAsync(ITileSegmenter segmenter, IReadOnlyList<LabelledTile> tiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(tiles);
        var result = new List<float[]>(tiles.Count);
        var features = new float[BatchSize * ModelContract.FeatureValuesPerTile];
        var probability = new float[BatchSize * ModelContract.PixelsPerTile];
        for (var start = 0; start < tiles.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, tiles.Count - start);
            for (var i = 0; i < count; i++)
            {
                tiles[start + i].Features.CopyTo(features, i * ModelContract.FeatureValuesPerTile);
            }

            await segmenter.SegmentAsync(features.AsMemory(0, count * ModelContract.FeatureValuesPerTile), probability.AsMemory(0, count * ModelContract.PixelsPerTile), count, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                result.Add(probability.AsSpan(i * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile).ToArray());
            }
        }

        return result;
    }
}
