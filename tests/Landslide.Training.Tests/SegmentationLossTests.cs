using Landslide.Training.Modeling;
using static TorchSharp.torch;

namespace Landslide.Training.Tests;

public sealed class SegmentationLossTests
{
    [Fact]
    public void Loss_IsNearZeroForConfidentCorrectLogits_AndLargeForWrongOnes()
    {
        using var target = zeros(1, 128, 128, dtype: ScalarType.Byte);
        target[TensorIndex.Colon, TensorIndex.Slice(0, 64)] = tensor((byte)1);

        var right = Loss(target, confidence: 20f);
        var wrong = Loss(target, confidence: -20f);

        Assert.True(right < 1e-3, $"correct logits gave {right}");
        Assert.True(wrong > 5, $"wrong logits gave {wrong}");
    }

    [Fact]
    public void Loss_IgnoresPixelsLabelledNoData()
    {
        using var target = zeros(1, 128, 128, dtype: ScalarType.Byte);
        target[TensorIndex.Colon, TensorIndex.Slice(0, 64)] = tensor((byte)1);
        using var withNoData = target.clone();

        // Mark the right half no data; the logits there are wrong, which must not matter.
        withNoData[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(64, 128)] = tensor((byte)255);
        var output = Logits(target, 20f);
        using var scrambled = output.Logits128.clone();
        scrambled[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(64, 128)] *= -1;

        using var loss = SegmentationLoss.Head(scrambled, withNoData.to_type(ScalarType.Float32).unsqueeze(1));
        Assert.True(loss.item<float>() < 1e-3, $"no-data pixels leaked into the loss: {loss.item<float>()}");
    }

    [Fact]
    public void ComputeWithHeads_TotalIsTheWeightedSumOfTheHeads_AndEqualsCompute()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var target = randint(0, 2, [2, 128, 128], dtype: ScalarType.Byte);
        target[TensorIndex.Colon, TensorIndex.Slice(0, 8)] = tensor((byte)255);
        var output = new RauNetOutput(randn(2, 2, 256, 256), randn(2, 2, 128, 128), randn(2, 2, 64, 64));

        var (total, h256, h128, h64) = SegmentationLoss.ComputeWithHeads(output, target);
        var plain = SegmentationLoss.Compute(output, target).item<float>();

        // Random logits: every head is far from zero and they differ, so a dropped or swapped weight shows.
        Assert.True(h256.item<float>() > 0.1 && h128.item<float>() > 0.1 && h64.item<float>() > 0.1);
        var weighted = (0.25 * h256.item<float>()) + (0.5 * h128.item<float>()) + (0.25 * h64.item<float>());
        Assert.Equal(weighted, total.item<float>(), 5);
        Assert.Equal(plain, total.item<float>());
    }

    private static double Loss(Tensor target, float confidence)
    {
        var output = Logits(target, confidence);
        using var loss = SegmentationLoss.Compute(output, target);
        return loss.item<float>();
    }

    /// <summary>Logits saying "landslide" where the target says so (confidence > 0) or the opposite (< 0).</summary>
    private static RauNetOutput Logits(Tensor target, float confidence)
    {
        Tensor At(long size)
        {
            var t = nn.functional.interpolate(target.to_type(ScalarType.Float32).unsqueeze(1), [size, size], mode: InterpolationMode.Nearest);
            var sign = (t * 2) - 1;
            return cat([-sign * confidence, sign * confidence], 1);
        }

        return new RauNetOutput(At(256), At(128), At(64));
    }
}
