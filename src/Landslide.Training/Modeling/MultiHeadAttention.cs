using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Landslide.Training.Modeling;

/// <summary>
/// The paper's multi-head attention option: a channel head (SE over the global pool), a height head (pool over
/// channels and width, 7-tap conv along height) and a width head (the same along width); the three sigmoid gates
/// are averaged and scale the input.
/// </summary>
internal sealed class MultiHeadAttention : nn.Module<Tensor, Tensor>
{
    public const int SpatialKernel = 7;

    private readonly SqueezeExcitation _channel;
    private readonly Conv2d _height;
    private readonly Conv2d _width;

    public MultiHeadAttention(long channels)
        : base(nameof(MultiHeadAttention))
    {
        _channel = new SqueezeExcitation(channels);
        _height = nn.Conv2d(1, 1, (SpatialKernel, 1), padding: (SpatialKernel / 2, 0));
        _width = nn.Conv2d(1, 1, (1, SpatialKernel), padding: (0, SpatialKernel / 2));
        RegisterComponents();
    }

    internal SqueezeExcitation Channel => _channel;

    internal Conv2d Height => _height;

    internal Conv2d Width => _width;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = input.mean([2, 3]);
        var sc = _channel.Excite.forward(nn.functional.selu(_channel.Squeeze.forward(pooled))).sigmoid().unsqueeze(-1).unsqueeze(-1);
        var sh = _height.forward(input.mean([1, 3], keepdim: true)).sigmoid();
        var sw = _width.forward(input.mean([1, 2], keepdim: true)).sigmoid();
        return (input * ((sc + sh + sw) / 3.0)).MoveToOuterDisposeScope();
    }
}
