using System.ComponentModel.DataAnnotations;
using Landslide.Core.Segmentation;

namespace Landslide.Training.Modeling;

/// <summary>Shape of the RAU-Net (docs/MODEL.md, "Network").</summary>
public sealed record RauNetOptions
{
    /// <summary>Base width F. The paper uses 128 (GPU); 8..32 suit CPUs.</summary>
    [Range(2, 512)]
    public int Width { get; init; } = 128;

    /// <summary>Input channels; the 23 features of docs/MODEL.md.</summary>
    [Range(1, 1024)]
    public int InputChannels { get; init; } = ModelContract.FeatureChannels;

    public AttentionKind Attention { get; init; } = AttentionKind.SqueezeExcitation;

    /// <summary>Dropout before the heads (training only).</summary>
    [Range(0.0, 0.95)]
    public double Dropout { get; init; } = 0.25;

    /// <summary>
    /// BatchNorm epsilon. 1e-3 is Keras' default, which the authors' code used; the ONNX export writes the same value.
    /// </summary>
    public double BatchNormEpsilon { get; init; } = 1e-3;

    /// <summary>Running-statistics update rate (PyTorch convention; Keras' momentum 0.99 is 0.01 here).</summary>
    public double BatchNormMomentum { get; init; } = 0.01;
}
