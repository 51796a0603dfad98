namespace Landslide.Inference;

/// <summary>ONNX Runtime graph optimisation level, mirrored so hosts bind it without referencing ONNX Runtime.</summary>
public enum GraphOptimization
{
    None,
    Basic,
    Extended,
    All,
}
