using Google.Protobuf;
using Landslide.Core.Segmentation;
using Onnx;

namespace Landslide.TestSupport;

/// <summary>
/// Small, valid ONNX models built in memory (ONNX protobuf via OnnxSharp), for tests and benchmarks.
/// Contract models take features [N, 23, 128, 128] and give probability [N, 1, 128, 128] with N dynamic;
/// the Wrong* models each break one part of the contract.
/// </summary>
public static class TinyOnnxModels
{
    private const int Channels = ModelContract.FeatureChannels;
    private const int Size = ModelContract.TileSize;
    private const int Opset = 13;

    /// <summary>
    /// Per-pixel model: 1x1 Conv 23 -> 2 with <paramref name="weights"/> (row-major [2, 23]) and
    /// <paramref name="bias"/> [2], softmax over the two channels, channel 1 kept. <see cref="PerPixelReference"/> computes it.
    /// </summary>
    public static byte[] PerPixel(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias) =>
        Build(PerPixelGraph(weights.ToArray(), bias.ToArray(), Channels, slice: true), ModelContract.InputName, Channels, Size, null, ModelContract.OutputName, 1);

    /// <summary>Per-pixel model whose probability is sigmoid of the sum of the chosen input channels; other channels are ignored.</summary>
    public static byte[] ChannelSum(params int[] channels) => PerPixel(ChannelSumWeights(channels), [0f, 0f]);

    /// <summary>Weights of <see cref="ChannelSum"/>, for <see cref="PerPixelReference"/>.</summary>
    public static float[] ChannelSumWeights(params int[] channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var weights = new float[2 * Channels];
        foreach (var c in channels)
        {
            weights[Channels + c] = 1f;
        }

        return weights;
    }

    /// <summary>Probability = input channel <paramref name="channel"/> unchanged: shows exactly where each tile's pixels end up.</summary>
    public static byte[] Passthrough(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        var graph = new GraphProto { Name = "passthrough" };
        graph.Initializer.Add(Int64s("starts", channel));
        graph.Initializer.Add(Int64s("ends", channel + 1));
        graph.Initializer.Add(Int64s("axes", 1));
        graph.Node.Add(Node("Slice", [ModelContract.InputName, "starts", "ends", "axes"], [ModelContract.OutputName]));
        return Build(graph, ModelContract.InputName, Channels, Size, null, ModelContract.OutputName, 1);
    }

    /// <summary>Deterministic pseudo-random weights [2, 23] and bias [2] for <see cref="PerPixel"/>.</summary>
    public static (float[] Weights, float[] Bias) RandomPerPixelWeights(int seed)
    {
        var random = new Random(seed);
        var weights = new float[2 * Channels];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return (weights, [(float)(random.NextDouble() - 0.5), (float)(random.NextDouble() - 0.5)]);
    }

    /// <summary>Hand computation of <see cref="PerPixel"/>: p = softmax(W x + b)[1] = 1 / (1 + exp(z0 - z1)), in double.</summary>
    public static void PerPixelReference(ReadOnlySpan<float> features, int count, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> probabilities)
    {
        const int pixels = Size * Size;
        for (var t = 0; t < count; t++)
        {
            var tile = features.Slice(t * Channels * pixels, Channels * pixels);
            for (var p = 0; p < pixels; p++)
            {
                double z0 = bias[0], z1 = bias[1];
                for (var c = 0; c < Channels; c++)
                {
                    double x = tile[(c * pixels) + p];
                    z0 += weights[c] * x;
                    z1 += weights[Channels + c] * x;
                }

                probabilities[(t * pixels) + p] = (float)(1 / (1 + Math.Exp(z0 - z1)));
            }
        }
    }

    /// <summary>
    /// A few 3x3 convolutions (23 -> width, ReLU, ..., width -> 2, softmax, channel 1): a model with realistic
    /// per-pixel cost for benchmarks. Weights are pseudo-random from <paramref name="seed"/>.
    /// </summary>
    public static byte[] Conv3x3Stack(int width = 16, int layers = 3, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 2);
        var random = new Random(seed);
        var graph = new GraphProto { Name = "conv3x3-stack" };
        var current = ModelContract.InputName;
        var inChannels = Channels;
        for (var layer = 0; layer < layers; layer++)
        {
            var outChannels = layer == layers - 1 ? 2 : width;
            var scale = Math.Sqrt(2.0 / (inChannels * 9));
            var w = new float[outChannels * inChannels * 9];
            for (var i = 0; i < w.Length; i++)
            {
                w[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
            }

            graph.Initializer.Add(Floats($"w{layer}", w, outChannels, inChannels, 3, 3));
            graph.Initializer.Add(Floats($"b{layer}", new float[outChannels], outChannels));
            var conv = Node("Conv", [current, $"w{layer}", $"b{layer}"], [$"conv{layer}"]);
            conv.Attribute.Add(Ints("kernel_shape", 3, 3));
            conv.Attribute.Add(Ints("pads", 1, 1, 1, 1));
            graph.Node.Add(conv);
            current = $"conv{layer}";
            if (layer < layers - 1)
            {
                graph.Node.Add(Node("Relu", [current], [$"relu{layer}"]));
                current = $"relu{layer}";
            }

            inChannels = outChannels;
        }

        AddSoftmaxSlice(graph, current, slice: true);
        return Build(graph, ModelContract.InputName, Channels, Size, null, ModelContract.OutputName, 1);
    }

    /// <summary>The per-pixel model with a fixed batch dimension (valid: the segmenter runs batches of exactly <paramref name="batch"/>).</summary>
    public static byte[] FixedBatch(int batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias) =>
        Build(PerPixelGraph(weights.ToArray(), bias.ToArray(), Channels, slice: true), ModelContract.InputName, Channels, Size, batch, ModelContract.OutputName, 1);

    /// <summary>Contract-breaking: the input is not called "features".</summary>
    public static byte[] WrongInputName(string name = "input") => Broken(inputName: name);

    /// <summary>Contract-breaking: the input has <paramref name="channels"/> channels instead of 23.</summary>
    public static byte[] WrongChannelCount(int channels = ModelContract.InputBands) => Broken(channels: channels);

    /// <summary>Contract-breaking: tiles of <paramref name="size"/> px instead of 128.</summary>
    public static byte[] WrongTileSize(int size = 64) => Broken(size: size);

    /// <summary>Contract-breaking: the output is not called "probability".</summary>
    public static byte[] WrongOutputName(string name = "output") => Broken(outputName: name);

    /// <summary>Contract-breaking: the output keeps both softmax channels, [N, 2, 128, 128].</summary>
    public static byte[] TwoChannelOutput()
    {
        var (w, b) = RandomPerPixelWeights(1);
        return Build(PerPixelGraph(w, b, Channels, slice: false), ModelContract.InputName, Channels, Size, null, ModelContract.OutputName, 2);
    }

    /// <summary>Contract-breaking: float64 input (cast to float inside).</summary>
    public static byte[] DoubleInput()
    {
        var (w, b) = RandomPerPixelWeights(1);
        var graph = PerPixelGraph(w, b, Channels, slice: true, convInput: "as_float");
        var cast = Node("Cast", [ModelContract.InputName], ["as_float"]);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
        graph.Node.Insert(0, cast);
        return Build(graph, ModelContract.InputName, Channels, Size, null, ModelContract.OutputName, 1, TensorProto.Types.DataType.Double);
    }

    /// <summary>
    /// Writes models/{version}/model.onnx and a manifest honouring the contract (SHA-256 of the bytes unless
    /// <paramref name="sha256"/> overrides it). Returns the version folder.
    /// </summary>
    public static string WriteVersionFolder(string modelsRoot, string version, byte[] model, double threshold = 0.5, string? sha256 = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var folder = Path.Combine(modelsRoot, version);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, ModelManifest.ModelFileName), model);
        var manifest = ManifestFor(version, model, threshold) with { Sha256 = sha256 ?? Sha256Hex(model) };
        File.WriteAllText(Path.Combine(folder, ModelManifest.FileName), System.Text.Json.JsonSerializer.Serialize(manifest));
        return folder;
    }

    /// <summary>A manifest honouring the contract for <paramref name="model"/>.</summary>
    public static ModelManifest ManifestFor(string version, byte[] model, double threshold = 0.5) => new()
    {
        Version = version,
        Sha256 = Sha256Hex(model),
        FeatureVersion = ModelContract.FeatureVersion,
        Input = ModelManifest.ContractInput,
        Output = ModelManifest.ContractOutput,
        Threshold = threshold,
        TrainingDataFingerprint = "test",
        CreatedAt = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero),
    };

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    private static byte[] Broken(string inputName = ModelContract.InputName, int channels = Channels, int size = Size, string outputName = ModelContract.OutputName)
    {
        var (w, b) = RandomPerPixelWeights(1);
        var weights = new float[2 * channels];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = w[i % w.Length];
        }

        var graph = PerPixelGraph(weights, b, channels, slice: true, convInput: inputName, output: outputName);
        return Build(graph, inputName, channels, size, null, outputName, 1);
    }

    private static GraphProto PerPixelGraph(
        float[] weights, float[] bias, int channels, bool slice, string convInput = ModelContract.InputName, string output = ModelContract.OutputName)
    {
        if (weights.Length != 2 * channels || bias.Length != 2)
        {
            throw new ArgumentException($"weights must be [2, {channels}] and bias [2], got {weights.Length} and {bias.Length} values");
        }

        var graph = new GraphProto { Name = "per-pixel" };
        graph.Initializer.Add(Floats("w", weights, 2, channels, 1, 1));
        graph.Initializer.Add(Floats("b", bias, 2));
        graph.Node.Add(Node("Conv", [convInput, "w", "b"], ["logits"]));
        AddSoftmaxSlice(graph, "logits", slice, output);
        return graph;
    }

    private static void AddSoftmaxSlice(GraphProto graph, string logits, bool slice, string output = ModelContract.OutputName)
    {
        var softmax = Node("Softmax", [logits], [slice ? "softmax" : output]);
        softmax.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(softmax);
        if (slice)
        {
            graph.Initializer.Add(Int64s("slice_starts", 1));
            graph.Initializer.Add(Int64s("slice_ends", 2));
            graph.Initializer.Add(Int64s("slice_axes", 1));
            graph.Node.Add(Node("Slice", ["softmax", "slice_starts", "slice_ends", "slice_axes"], [output]));
        }
    }

    private static byte[] Build(
        GraphProto graph, string inputName, int channels, int size, int? batch, string outputName, int outputChannels,
        TensorProto.Types.DataType inputType = TensorProto.Types.DataType.Float)
    {
        graph.Input.Add(TensorInfo(inputName, inputType, batch, channels, size));
        graph.Output.Add(TensorInfo(outputName, TensorProto.Types.DataType.Float, batch, outputChannels, size));
        var model = new ModelProto { IrVersion = 8, ProducerName = "Landslide.TestSupport", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model.ToByteArray();
    }

    private static ValueInfoProto TensorInfo(string name, TensorProto.Types.DataType type, int? batch, int channels, int size)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(batch is int n ? new TensorShapeProto.Types.Dimension { DimValue = n } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = channels });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{outputs[0]}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    private static TensorProto Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }
}
