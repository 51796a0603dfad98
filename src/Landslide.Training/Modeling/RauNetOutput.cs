using TorchSharp;

namespace Landslide.Training.Modeling;

/// <summary>Logits of the three heads, each [N, 2, S, S]. The 128 px head is the prediction.</summary>
public readonly record struct RauNetOutput(torch.Tensor Logits256, torch.Tensor Logits128, torch.Tensor Logits64);
