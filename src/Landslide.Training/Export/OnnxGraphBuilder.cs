using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Landslide.Training.Export;

/// <summary>Builds an ONNX graph node by node from TorchSharp modules' weights (opset 17).</summary>
internal sealed class OnnxGraphBuilder
{
    public const int Opset = 17;

    private readonly GraphProto _graph = new() { Name = "rau_net" };
    private int _counter;

    public GraphProto Graph => _graph;

    public string Unique(string prefix) => $"{prefix}_{_counter++}";

    public string Initializer(string prefix, Tensor value)
    {
        using var contiguous = value.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var data = contiguous.data<float>().ToArray();
        var proto = new TensorProto
        {
            Name = Unique(prefix),
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan())),
        };
        proto.Dims.AddRange(contiguous.shape);
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    public string Int64Initializer(string prefix, params long[] values)
    {
        var proto = new TensorProto { Name = Unique(prefix), DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    public string Node(string opType, string[] inputs, params AttributeProto[] attributes)
    {
        var output = Unique(opType.ToLowerInvariant());
        var node = new NodeProto { OpType = opType, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public string Conv(string x, Conv2d conv, long[] pads, long stride = 1)
        => ConvWith(x, conv.weight!, conv.bias, pads, stride);

    public string ConvWith(string x, Tensor weight, Tensor? bias, long[] pads, long stride = 1)
    {
        var inputs = bias is null ? [x, Initializer("w", weight)] : new[] { x, Initializer("w", weight), Initializer("b", bias) };
        return Node("Conv", inputs, Ints("kernel_shape", weight.shape[2], weight.shape[3]), Ints("pads", pads), Ints("strides", stride, stride));
    }

    public string ConvTranspose(string x, ConvTranspose2d conv, long stride, long[]? pads = null)
    {
        var weight = conv.weight!;
        string[] inputs = conv.bias is null ? [x, Initializer("w", weight)] : [x, Initializer("w", weight), Initializer("b", conv.bias)];
        return Node("ConvTranspose", inputs, Ints("kernel_shape", weight.shape[2], weight.shape[3]), Ints("strides", stride, stride), Ints("pads", pads ?? [0, 0, 0, 0]));
    }

    public string BatchNorm(string x, BatchNorm2d bn, double epsilon)
        => Node(
            "BatchNormalization",
            [x, Initializer("gamma", bn.weight!), Initializer("beta", bn.bias!), Initializer("mean", bn.running_mean!), Initializer("var", bn.running_var!)],
            Float("epsilon", (float)epsilon));

    /// <summary>A Linear layer applied to [N, C, 1, 1] as a 1x1 convolution (no reshapes needed).</summary>
    public string Linear1x1(string x, Linear linear)
    {
        using var weight = linear.weight!.detach().unsqueeze(-1).unsqueeze(-1);
        return ConvWith(x, weight, linear.bias, [0, 0, 0, 0]);
    }

    public string LeakyRelu(string x, double alpha) => Node("LeakyRelu", [x], Float("alpha", (float)alpha));

    public string Unary(string opType, string x) => Node(opType, [x]);

    public string Binary(string opType, string a, string b) => Node(opType, [a, b]);

    public void Input(string name, params object[] dims) => _graph.Input.Add(ValueInfo(name, dims));

    public void Output(string producedName, string name, params object[] dims)
    {
        _graph.Node.Add(new NodeProto { OpType = "Identity", Name = name + "_identity", Input = { producedName }, Output = { name } });
        _graph.Output.Add(ValueInfo(name, dims));
    }

    public ModelProto ToModel(string docString)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Landslide.Training",
            ProducerVersion = "1",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static ValueInfoProto ValueInfo(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
