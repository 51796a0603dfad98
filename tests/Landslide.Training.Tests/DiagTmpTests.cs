using System.Diagnostics;
using Landslide.TestSupport;
using Landslide.Training.Modeling;
using static TorchSharp.torch;

namespace Landslide.Training.Tests;

public sealed class DiagTmpTests
{
    [RealDataFact]
    public void Diag()
    {
        var sw = Stopwatch.StartNew();
        var tiles = RealTiles.TrainTiles;
        var t1 = sw.Elapsed.TotalSeconds;
        var bad = tiles.Select(t => (t.Id, Bad: t.Features.Count(f => !float.IsFinite(f)), Max: t.Features.Max(), Min: t.Features.Min())).ToList();
        Console.WriteLine($"load {t1:F1}s threads {get_num_threads()} " + string.Join("; ", bad));
        manual_seed(3);
        using var model = new RauNet(new RauNetOptions { Width = 8 });
        var batch = tiles.Where(t => t.HasLandslide).Take(2).ToList();
        var (x, y) = Trainer.MakeBatch(batch, null, CPU);
        sw.Restart();
        model.train();
        var o = model.forward(x);
        var loss = SegmentationLoss.Compute(o, y);
        Console.WriteLine($"fwd {sw.Elapsed.TotalSeconds:F2}s loss {loss.item<float>()} logits finite {o.Logits128.isfinite().all().item<bool>()}");
        sw.Restart();
        loss.backward();
        Console.WriteLine($"bwd {sw.Elapsed.TotalSeconds:F2}s");
    }
}
