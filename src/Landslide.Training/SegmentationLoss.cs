using TorchSharp;
using Landslide.Training.Modeling;
using static TorchSharp.torch;

namespace Landslide.Training;

/// <summary>
/// docs/MODEL.md's loss: per head Focal (gamma 2, no alpha, mean over pixels and both classes, p clipped to
/// [1e-7, 1 - 1e-7]) + soft IoU (-log IoU per class over the batch, averaged), weighted 1:1; heads 0.25 / 0.5 / 0.25.
/// Pixels labelled 255 (no data) are excluded.
/// </summary>
public static class SegmentationLoss
{
    public const double Gamma = 2.0;
    public const double Epsilon = 1e-7;
    public const double Weight256 = 0.25;
    public const double Weight128 = 0.5;
    public const double Weight64 = 0.25;

    /// <summary>Total loss for targets [N, 128, 128] (uint8 or int64: 0, 1, 255 = ignore).</summary>
    public static Tensor Compute(RauNetOutput output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return ComputeWithHeads(output, target).Total.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The total loss and the unweighted loss of each head (256, 128, 64 px) it is the weighted sum of; the caller
    /// disposes all four (a dispose scope does).
    /// </summary>
    public static (Tensor Total, Tensor Head256, Tensor Head128, Tensor Head64) ComputeWithHeads(RauNetOutput output, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var scope = NewDisposeScope();
        var t = target.to_type(ScalarType.Float32).unsqueeze(1);
        var t256 = nn.functional.interpolate(t, [256, 256], mode: InterpolationMode.Nearest);
        var t64 = nn.functional.interpolate(t, [64, 64], mode: InterpolationMode.Nearest);
        var h256 = Head(output.Logits256, t256);
        var h128 = Head(output.Logits128, t);
        var h64 = Head(output.Logits64, t64);
        var total = (Weight256 * h256) + (Weight128 * h128) + (Weight64 * h64);
        return (total.MoveToOuterDisposeScope(), h256.MoveToOuterDisposeScope(), h128.MoveToOuterDisposeScope(), h64.MoveToOuterDisposeScope());
    }

    /// <summary>Focal + soft IoU for one head: logits [N, 2, S, S], target [N, 1, S, S] as float 0/1/255.</summary>
    internal static Tensor Head(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var valid = target.ne(255).to_type(ScalarType.Float32);
        var landslide = target.eq(1).to_type(ScalarType.Float32);
        var y = cat([(1 - landslide) * valid, landslide * valid], 1);
        var p = nn.functional.softmax(logits, 1).clamp(Epsilon, 1 - Epsilon);
        var validPixels = valid.sum().clamp_min(1) * 2;
        var focal = -(y * (1 - p).pow(Gamma) * p.log()).sum() / validPixels;
        var pValid = p * valid;
        var intersection = (y * pValid).sum([0, 2, 3]);
        var union = y.sum([0, 2, 3]) + pValid.sum([0, 2, 3]) - intersection;
        var iou = (intersection + Epsilon) / (union + Epsilon);
        var iouLoss = (-iou.log()).mean();
        return (focal + iouLoss).MoveToOuterDisposeScope();
    }
}
