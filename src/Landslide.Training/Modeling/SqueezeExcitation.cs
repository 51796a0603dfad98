using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Landslide.Training.Modeling;

/// <summary>SE: global average pool -> Linear(C, C/2), SELU -> Linear(C/2, C), sigmoid; scales channels.</summary>
internal sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly Linear _squeeze;
    private readonly Linear _excite;

    public SqueezeExcitation(long channels)
        : base(nameof(SqueezeExcitation))
    {
        _squeeze = Layers.Dense(channels, channels / 2);
        _excite = Layers.Dense(channels / 2, channels);
        RegisterComponents();
    }

    internal Linear Squeeze => _squeeze;

    internal Linear Excite => _excite;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = input.mean([2, 3]);
        var s = _excite.forward(nn.functional.selu(_squeeze.forward(pooled))).sigmoid();
        return (input * s.unsqueeze(-1).unsqueeze(-1)).MoveToOuterDisposeScope();
    }
}
