using Landslide.Core.Segmentation;
using Landslide.Training.Modeling;
using Onnx;
using Google.Protobuf;

namespace Landslide.Training.Export;

/// <summary>
/// Writes a trained <see cref="RauNet"/> as ONNX (opset 17) with the contract of docs/ARCHITECTURE.md: input <c>features</c>
/// [N, 23, 128, 128] float32 (dynamic N), output <c>probability</c> [N, 1, 128, 128] = softmax channel 1 of the
/// 128 px head. BatchNorm uses the running statistics (inference mode); dropout is omitted; TF "same" padding of
/// the even kernels becomes asymmetric pads (extra row/column after the data).
/// </summary>
public static class OnnxExporter
{
    private static readonly long[] Same3 = [1, 1, 1, 1];
    private static readonly long[] SameEven = [0, 0, 1, 1];
    private static readonly long[] None = [0, 0, 0, 0];

    /// <summary>Serialises the model's graph and weights to ONNX bytes.</summary>
    public static byte[] ToBytes(RauNet model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var g = new OnnxGraphBuilder();
        var options = model.Options;
        const int Tile = ModelContract.TileSize;
        g.Input(ModelContract.InputName, "N", options.InputChannels, Tile, Tile);

        var x = g.LeakyRelu(g.BatchNorm(g.Conv(ModelContract.InputName, model.Stem, Same3), model.StemBn, options.BatchNormEpsilon), ResidualBlock.LeakySlope);
        var skips = new string[RauNet.Levels];
        for (var level = 0; level < RauNet.Levels; level++)
        {
            skips[level] = Block(g, x, model.Encoders[level], options);
            x = g.Unary("Selu", g.Conv(skips[level], model.Downs[level], None, stride: 2));
        }

        for (var level = RauNet.Levels - 1; level >= 0; level--)
        {
            var up = g.Unary("Selu", g.ConvTranspose(x, model.Ups[level], 2));
            var merged = g.Node("Concat", [up, skips[level]], OnnxGraphBuilder.Int("axis", 1));
            x = Block(g, merged, model.Decoders[level], options);
        }

        var logits = g.Conv(x, model.Head128Out, None);
        var softmax = g.Node("Softmax", [logits], OnnxGraphBuilder.Int("axis", 1));
        var landslide = g.Node("Slice", [softmax, g.Int64Initializer("starts", 1), g.Int64Initializer("ends", 2), g.Int64Initializer("axes", 1)]);
        g.Output(landslide, ModelContract.OutputName, "N", 1, Tile, Tile);

        var doc = $"RAU-Net width {options.Width}, attention {options.Attention}, features {ModelContract.FeatureVersion}";
        return g.ToModel(doc).ToByteArray();
    }

    /// <summary>Writes the ONNX file to <paramref name="path"/> and returns its bytes.</summary>
    public static byte[] Export(RauNet model, string path)
    {
        var bytes = ToBytes(model);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllBytes(path, bytes);
        return bytes;
    }

    private static string Block(OnnxGraphBuilder g, string x, ResidualBlock block, RauNetOptions options)
    {
        var slope = ResidualBlock.LeakySlope;
        var eps = options.BatchNormEpsilon;
        var a = g.LeakyRelu(g.BatchNorm(g.Conv(x, block.Conv3A, Same3), block.Bn3A, eps), slope);
        var b = g.LeakyRelu(g.BatchNorm(g.Conv(x, block.Conv2B, SameEven), block.Bn2B, eps), slope);
        var y = g.LeakyRelu(g.BatchNorm(g.Conv(g.Binary("Add", a, b), block.ConvOut, Same3), block.BnOut, eps), slope);
        y = block.Attention switch
        {
            SqueezeExcitation se => g.Binary("Mul", y, ChannelGate(g, y, se)),
            MultiHeadAttention mha => g.Binary("Mul", y, MultiHeadGate(g, y, mha)),
            _ => throw new NotSupportedException($"attention {block.Attention.GetType().Name} has no ONNX export"),
        };
        return g.Binary("Add", y, x);
    }

    private static string ChannelGate(OnnxGraphBuilder g, string y, SqueezeExcitation se)
    {
        var pooled = g.Unary("GlobalAveragePool", y);
        var hidden = g.Unary("Selu", g.Linear1x1(pooled, se.Squeeze));
        return g.Unary("Sigmoid", g.Linear1x1(hidden, se.Excite));
    }

    private static string MultiHeadGate(OnnxGraphBuilder g, string y, MultiHeadAttention mha)
    {
        const long Half = MultiHeadAttention.SpatialKernel / 2;
        var channel = ChannelGate(g, y, mha.Channel);
        var byHeight = g.Node("ReduceMean", [y], OnnxGraphBuilder.Ints("axes", 1, 3), OnnxGraphBuilder.Int("keepdims", 1));
        var height = g.Unary("Sigmoid", g.Conv(byHeight, mha.Height, [Half, 0, Half, 0]));
        var byWidth = g.Node("ReduceMean", [y], OnnxGraphBuilder.Ints("axes", 1, 2), OnnxGraphBuilder.Int("keepdims", 1));
        var width = g.Unary("Sigmoid", g.Conv(byWidth, mha.Width, [0, Half, 0, Half]));
        var sum = g.Node("Sum", [channel, height, width]);
        return g.Binary("Div", sum, g.Initializer("three", TorchSharp.torch.tensor(new[] { 3f })));
    }
}
