using Landslide.Training.Modeling;
using static TorchSharp.torch;

namespace Landslide.Training.Tests;

public sealed class RauNetTests
{
    [Fact]
    public void PaperWidth_HasExactlyThePublishedTrainableParameterCount()
    {
        using var model = new RauNet(new RauNetOptions { Width = 128 });

        Assert.Equal(24_876_294L, model.TrainableParameterCount);
    }

    [Fact]
    public void Forward_GivesThreeTwoClassHeadsAt256And128And64Pixels()
    {
        using var model = new RauNet(new RauNetOptions { Width = 4 });
        using var input = randn(2, 23, 128, 128);

        var output = model.forward(input);

        Assert.Equal([2L, 2, 256, 256], output.Logits256.shape);
        Assert.Equal([2L, 2, 128, 128], output.Logits128.shape);
        Assert.Equal([2L, 2, 64, 64], output.Logits64.shape);
    }

    [Fact]
    public void MultiHeadAttentionOption_RunsAndPredictsProbabilities()
    {
        using var model = new RauNet(new RauNetOptions { Width = 4, Attention = AttentionKind.MultiHead });
        model.eval();
        using var input = randn(1, 23, 128, 128);

        using var probability = model.PredictProbability(input);

        Assert.Equal([1L, 1, 128, 128], probability.shape);
        Assert.True(probability.min().item<float>() >= 0f && probability.max().item<float>() <= 1f);
    }
}
