using Landslide.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Landslide.Training.Tests;

public sealed class DiagTmpTests
{
    [Fact]
    public void Diag9()
    {
        manual_seed(1);
        using var model = new RauNet(new RauNetOptions { Width = 8 });
        model.eval();
        using var input = randn(2, 23, 128, 128);
        using var reference = model.PredictProbability(input);
        var bad = 0;
        for (var i = 0; i < 15; i++)
        {
            using var p = model.PredictProbability(input);
            if (!p.eq(reference).all().item<bool>() || !p.isfinite().all().item<bool>()) bad++;
        }

        Console.WriteLine($"diag {Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA")} ref finite {reference.isfinite().all().item<bool>()} bad {bad}/15");
    }
}
