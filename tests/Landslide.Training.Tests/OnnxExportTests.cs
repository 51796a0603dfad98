using Landslide.Core.Segmentation;
using Landslide.TestSupport;
using Landslide.Training.Export;
using Landslide.Training.Modeling;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace Landslide.Training.Tests;

public sealed class OnnxExportTests
{
    [RealDataTheory]
    [InlineData(AttentionKind.SqueezeExcitation)]
    [InlineData(AttentionKind.MultiHead)]
    public void Export_GivesTheSameProbabilitiesInOnnxRuntimeAsTorchSharp_OnRealPatches(AttentionKind attention)
    {
        var tiles = RealTiles.HoldoutTiles.Take(3).ToList();
        using var model = TrainedALittle(new RauNetOptions { Width = 8, Attention = attention });
        var features = tiles.SelectMany(t => t.Features).ToArray();
        float[] expected;
        using (var shared = tensor(features, [tiles.Count, 23, 128, 128]))
        using (var x = shared.clone())
        using (var probability = model.PredictProbability(x))
        {
            expected = probability.data<float>().ToArray();
        }

        var actual = RunOnnx(OnnxExporter.ToBytes(model), features, tiles.Count, out var outputShape);

        Assert.Equal([tiles.Count, 1, 128, 128], outputShape);
        var maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(maxDiff <= 1e-4f, $"max abs difference {maxDiff}");
        Assert.True(expected.Max() - expected.Min() > 1e-3f, "the probabilities should vary, or the comparison proves little");
    }

    [Fact]
    public void Export_DeclaresTheContractNamesAndADynamicBatch()
    {
        using var model = new RauNet(new RauNetOptions { Width = 4 });
        model.eval();
        using var session = new InferenceSession(OnnxExporter.ToBytes(model));

        var input = Assert.Single(session.InputMetadata);
        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal(ModelContract.InputName, input.Key);
        Assert.Equal([-1, 23, 128, 128], input.Value.Dimensions);
        Assert.Equal(ModelContract.OutputName, output.Key);
        Assert.Equal([-1, 1, 128, 128], output.Value.Dimensions);
    }

    [Fact]
    public void Float16Variant_KeepsTheFloat32ContractAndMatchesFloat32WithinTheTolerance()
    {
        manual_seed(7);
        using var model = new RauNet(new RauNetOptions { Width = 8 });
        model.eval();
        var float32 = OnnxExporter.ToBytes(model);
        var float16 = Float16Variant.Convert(float32);
        var random = new Random(11);
        var features = new float[2 * ModelContract.FeatureValuesPerTile];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (random.NextSingle() * 2f) - 0.5f;
        }

        var expected = RunOnnx(float32, features, 2, out _);
        var actual = RunOnnx(float16, features, 2, out var shape);

        using (var session = new InferenceSession(float16))
        {
            Assert.Equal(TensorElementType.Float, session.InputMetadata[ModelContract.InputName].ElementDataType);
            Assert.Equal(TensorElementType.Float, session.OutputMetadata[ModelContract.OutputName].ElementDataType);
        }

        Assert.Equal([2, 1, 128, 128], shape);
        Assert.True(float16.Length < float32.Length * 0.6, $"float16 model is {float16.Length} B, float32 {float32.Length} B");
        AssertParity(expected, actual);
    }

    [RealDataFact]
    public void Float16Variant_OfTheEmbeddedModel_MatchesFloat32WithinTheTolerance_OnRealPatches()
    {
        var tiles = RealTiles.HoldoutTiles.Take(4).ToList();
        var features = tiles.SelectMany(t => t.Features).ToArray();
        var float32 = File.ReadAllBytes(Path.Combine(RepoRoot(), "models", "embedded", ModelManifest.ModelFileName));

        var expected = RunOnnx(float32, features, tiles.Count, out _);
        var actual = RunOnnx(Float16Variant.Convert(float32), features, tiles.Count, out _);

        AssertParity(expected, actual);
    }

    private static void AssertParity(float[] expected, float[] actual)
    {
        var differences = expected.Zip(actual, (e, a) => Math.Abs(e - a)).ToArray();
        var maxDiff = differences.Max();
        var meanDiff = differences.Average();
        Assert.True(maxDiff <= Float16Variant.ParityTolerance, $"max abs difference {maxDiff}");
        Console.WriteLine($"float16 parity: max abs {maxDiff}, mean abs {meanDiff}");
        Assert.True(meanDiff <= Float16Variant.MeanParityTolerance, $"mean abs difference {meanDiff}");
        Assert.True(maxDiff > 0f, "the variant should really compute in float16");
        Assert.True(expected.Max() - expected.Min() > 1e-3f, "the probabilities should vary, or the comparison proves little");
    }

    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    /// <summary>A few optimizer steps so BatchNorm statistics and weights are not at their initial values.</summary>
    internal static RauNet TrainedALittle(RauNetOptions options)
    {
        manual_seed(3);
        var model = new RauNet(options);
        var tiles = RealTiles.TrainTiles.Where(t => t.HasLandslide).Take(2).ToList();
        using var optimizer = optim.Adam(model.parameters(), lr: 3e-4);
        model.train();
        for (var step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = Trainer.MakeBatch(tiles, null, CPU);
            optimizer.zero_grad();
            SegmentationLoss.Compute(model.forward(x), y).backward();
            optimizer.step();
        }

        model.eval();
        return model;
    }

    internal static float[] RunOnnx(byte[] onnx, float[] features, int count, out int[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(onnx, options);
        var input = NamedOnnxValue.CreateFromTensor(ModelContract.InputName, new DenseTensor<float>(features, [count, 23, 128, 128]));
        using var results = session.Run([input]);
        var output = results.Single(r => r.Name == ModelContract.OutputName).AsTensor<float>();
        shape = output.Dimensions.ToArray();
        return output.ToArray();
    }
}
