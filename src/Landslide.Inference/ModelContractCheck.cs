using Landslide.Core.Segmentation;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Landslide.Inference;

/// <summary>Checks a loaded session against the tensor contract (input features [N,23,128,128], output probability [N,1,128,128]).</summary>
internal static class ModelContractCheck
{
    /// <summary>Returns the fixed batch size the model demands, or null when its batch dimension is dynamic.</summary>
    public static int? Check(IReadOnlyDictionary<string, NodeMetadata> inputs, IReadOnlyDictionary<string, NodeMetadata> outputs)
    {
        if (!inputs.TryGetValue(ModelContract.InputName, out var input))
        {
            throw new ModelContractException(
                ModelContractError.MissingInput,
                $"the model has no input named '{ModelContract.InputName}'; its inputs are {Names(inputs)}");
        }

        if (inputs.Count > 1)
        {
            throw new ModelContractException(
                ModelContractError.UnexpectedInput,
                $"the model needs inputs besides '{ModelContract.InputName}': {Names(inputs)}");
        }

        CheckFloatTensor(ModelContract.InputName, input);
        var inDims = input.Dimensions;
        if (inDims.Length != 4
            || inDims[1] != ModelContract.FeatureChannels
            || inDims[2] != ModelContract.TileSize
            || inDims[3] != ModelContract.TileSize
            || inDims[0] == 0)
        {
            throw new ModelContractException(
                ModelContractError.WrongInputShape,
                $"input '{ModelContract.InputName}' must be [N, {ModelContract.FeatureChannels}, {ModelContract.TileSize}, {ModelContract.TileSize}], the model has {Shape(input)}");
        }

        if (!outputs.TryGetValue(ModelContract.OutputName, out var output))
        {
            throw new ModelContractException(
                ModelContractError.MissingOutput,
                $"the model has no output named '{ModelContract.OutputName}'; its outputs are {Names(outputs)}");
        }

        CheckFloatTensor(ModelContract.OutputName, output);
        var outDims = output.Dimensions;
        if (outDims.Length != 4 || outDims[1] != 1 || outDims[2] != ModelContract.TileSize || outDims[3] != ModelContract.TileSize)
        {
            throw new ModelContractException(
                ModelContractError.WrongOutputShape,
                $"output '{ModelContract.OutputName}' must be [N, 1, {ModelContract.TileSize}, {ModelContract.TileSize}], the model has {Shape(output)}");
        }

        int? fixedBatch = inDims[0] > 0 ? inDims[0] : null;

        // A dynamic input with a fixed output batch (or two different fixed batches) cannot hold one probability per tile.
        var batchesAgree = outDims[0] < 0 || outDims[0] == inDims[0];
        if (!batchesAgree)
        {
            throw new ModelContractException(
                ModelContractError.WrongOutputShape,
                $"output batch dimension of {Shape(output)} does not follow the input's {Shape(input)}");
        }

        return fixedBatch;
    }

    private static void CheckFloatTensor(string name, NodeMetadata meta)
    {
        if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float)
        {
            throw new ModelContractException(
                ModelContractError.WrongElementType,
                $"'{name}' must be a float32 tensor, the model has {meta.OnnxValueType} of {meta.ElementDataType}");
        }
    }

    private static string Names(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        nodes.Count == 0 ? "(none)" : string.Join(", ", nodes.Keys.Select(k => $"'{k}'"));

    private static string Shape(NodeMetadata meta)
    {
        var dims = meta.Dimensions;
        var symbols = meta.SymbolicDimensions;
        var parts = new string[dims.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            parts[i] = dims[i] >= 0 ? dims[i].ToString(System.Globalization.CultureInfo.InvariantCulture)
                : i < symbols.Length && !string.IsNullOrEmpty(symbols[i]) ? symbols[i] : "?";
        }

        return $"[{string.Join(", ", parts)}]";
    }
}
