namespace Landslide.Inference;

/// <summary>Why a model or its manifest was refused. Stable codes: hosts print them and map them to exit codes.</summary>
public enum ModelContractError
{
    /// <summary>The model file or folder does not exist.</summary>
    ModelNotFound,

    /// <summary>ONNX Runtime cannot load the bytes as a model.</summary>
    NotAnOnnxModel,

    /// <summary>No input named "features".</summary>
    MissingInput,

    /// <summary>The model needs inputs other than "features".</summary>
    UnexpectedInput,

    /// <summary>An input or output is not a float32 tensor.</summary>
    WrongElementType,

    /// <summary>Input shape is not [N, 23, 128, 128].</summary>
    WrongInputShape,

    /// <summary>No output named "probability".</summary>
    MissingOutput,

    /// <summary>Output shape is not [N, 1, 128, 128], or its batch dimension disagrees with the input's.</summary>
    WrongOutputShape,

    /// <summary>manifest.json is missing, unreadable, or lacks a required field.</summary>
    InvalidManifest,

    /// <summary>The SHA-256 of model.onnx differs from the manifest's.</summary>
    Sha256Mismatch,

    /// <summary>The manifest records a feature version this code does not compute.</summary>
    FeatureVersionMismatch,
}
