namespace Landslide.Training.Modeling;

/// <summary>The channel attention used inside every residual block.</summary>
public enum AttentionKind
{
    /// <summary>Squeeze-and-excitation, as in the authors' published run (the default).</summary>
    SqueezeExcitation = 0,

    /// <summary>The paper's multi-head variant: channel, height and width poolings, averaged.</summary>
    MultiHead = 1,
}
