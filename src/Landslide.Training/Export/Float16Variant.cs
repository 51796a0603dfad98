using System.Runtime.InteropServices;
using Google.Protobuf;
using Landslide.Core.Segmentation;
using Onnx;

namespace Landslide.Training.Export;

/// <summary>
/// Makes the float16 variant of an exported model for GPU inference: every float32 weight becomes float16 and the
/// graph computes in float16 (half the weight memory and bandwidth, tensor cores on CUDA), while the contract stays
/// as it is: a Cast after input <c>features</c> and before output <c>probability</c> keep both float32, so clients and
/// the segmenter need no change. Parity with float32 is checked by tests (max absolute probability difference, see
/// <see cref="ParityTolerance"/>).
/// </summary>
public static class Float16Variant
{
    /// <summary>
    /// Largest absolute probability difference to the float32 model the tests accept (a 0.05 shift moves only pixels
    /// already within 0.05 of the threshold). Measured: see docs/BENCHMARKS.md.
    /// </summary>
    public const float ParityTolerance = 0.05f;

    /// <summary>Largest mean absolute probability difference to the float32 model the tests accept.</summary>
    public const float MeanParityTolerance = 0.005f;

    private const string InputHalf = ModelContract.InputName + "_f16";
    private const string OutputHalf = ModelContract.OutputName + "_f16";

    /// <summary>Converts a float32 model (as <see cref="OnnxExporter.ToBytes"/> writes it) to its float16 variant.</summary>
    /// <exception cref="ArgumentException">The model does not have the contract's input and output names.</exception>
    public static byte[] Convert(byte[] float32Model)
    {
        ArgumentNullException.ThrowIfNull(float32Model);
        var model = ModelProto.Parser.ParseFrom(float32Model);
        var graph = model.Graph;
        if (graph.Input.All(i => i.Name != ModelContract.InputName) || graph.Output.All(o => o.Name != ModelContract.OutputName))
        {
            throw new ArgumentException($"expected input '{ModelContract.InputName}' and output '{ModelContract.OutputName}'", nameof(float32Model));
        }

        foreach (var initializer in graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float))
        {
            var values = initializer.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(initializer.RawData.Span).ToArray() : [.. initializer.FloatData];
            var halves = new Half[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                halves[i] = (Half)values[i];
            }

            initializer.FloatData.Clear();
            initializer.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(halves.AsSpan()));
            initializer.DataType = (int)TensorProto.Types.DataType.Float16;
        }

        foreach (var info in graph.ValueInfo.Where(v => v.Type?.TensorType?.ElemType == (int)TensorProto.Types.DataType.Float))
        {
            info.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Float16;
        }

        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == ModelContract.InputName)
                {
                    node.Input[i] = InputHalf;
                }
            }

            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == ModelContract.OutputName)
                {
                    node.Output[i] = OutputHalf;
                }
            }
        }

        graph.Node.Insert(0, Cast(ModelContract.InputName, InputHalf, TensorProto.Types.DataType.Float16));
        graph.Node.Add(Cast(OutputHalf, ModelContract.OutputName, TensorProto.Types.DataType.Float));
        model.DocString += ", float16 variant (float32 input and output)";
        return model.ToByteArray();
    }

    private static NodeProto Cast(string input, string output, TensorProto.Types.DataType to)
    {
        var node = new NodeProto { OpType = "Cast", Name = output + "_cast", Input = { input }, Output = { output } };
        node.Attribute.Add(OnnxGraphBuilder.Int("to", (long)to));
        return node;
    }
}
