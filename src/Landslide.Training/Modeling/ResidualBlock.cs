using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Landslide.Training.Modeling;

/// <summary>
/// a = Conv3x3, BN, LeakyReLU; b = Conv2x2 (same), BN, LeakyReLU; y = Conv3x3(a + b), BN, LeakyReLU;
/// y = attention(y); return y + x.
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    public const double LeakySlope = 0.3;

    private readonly Conv2d _conv3a;
    private readonly BatchNorm2d _bn3a;
    private readonly Conv2d _conv2b;
    private readonly BatchNorm2d _bn2b;
    private readonly Conv2d _convOut;
    private readonly BatchNorm2d _bnOut;
    private readonly nn.Module<Tensor, Tensor> _attention;

    public ResidualBlock(long channels, RauNetOptions options)
        : base(nameof(ResidualBlock))
    {
        _conv3a = Layers.Conv(channels, channels, 3, padding: 1);
        _bn3a = Layers.BatchNorm(channels, options);
        _conv2b = Layers.Conv(channels, channels, 2);
        _bn2b = Layers.BatchNorm(channels, options);
        _convOut = Layers.Conv(channels, channels, 3, padding: 1);
        _bnOut = Layers.BatchNorm(channels, options);
        _attention = options.Attention == AttentionKind.MultiHead
            ? new MultiHeadAttention(channels)
            : new SqueezeExcitation(channels);
        RegisterComponents();
    }

    internal Conv2d Conv3A => _conv3a;

    internal BatchNorm2d Bn3A => _bn3a;

    internal Conv2d Conv2B => _conv2b;

    internal BatchNorm2d Bn2B => _bn2b;

    internal Conv2d ConvOut => _convOut;

    internal BatchNorm2d BnOut => _bnOut;

    internal nn.Module<Tensor, Tensor> Attention => _attention;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var a = nn.functional.leaky_relu(_bn3a.forward(_conv3a.forward(input)), LeakySlope);
        var b = nn.functional.leaky_relu(_bn2b.forward(_conv2b.forward(Layers.PadAfter(input))), LeakySlope);
        var y = nn.functional.leaky_relu(_bnOut.forward(_convOut.forward(a + b)), LeakySlope);
        y = _attention.forward(y);
        return (y + input).MoveToOuterDisposeScope();
    }
}
