using Landslide.Core;

namespace Landslide.Inference;

/// <summary>A model that does not honour the tensor contract or its manifest, with a stable code and a message naming what does not fit.</summary>
public sealed class ModelContractException : Exception, IRejectedInput
{
    public ModelContractException(ModelContractError code, string message)
        : base(message) => Code = code;

    public ModelContractException(ModelContractError code, string message, Exception innerException)
        : base(message, innerException) => Code = code;

    public ModelContractException()
        : this(ModelContractError.NotAnOnnxModel, "The model was refused.")
    {
    }

    public ModelContractException(string message)
        : this(ModelContractError.NotAnOnnxModel, message)
    {
    }

    public ModelContractException(string message, Exception innerException)
        : this(ModelContractError.NotAnOnnxModel, message, innerException)
    {
    }

    public ModelContractError Code { get; }

    string IRejectedInput.Rejection => "model refused";

    string IRejectedInput.Code => Code.ToString();
}
