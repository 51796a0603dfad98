using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Landslide.Training.Modeling;

/// <summary>
/// The residual attention U-Net of docs/MODEL.md: stem, 4 encoder levels (128..16 px), no bottleneck, 4 decoder levels
/// with skip concatenation (2F..5F), dropout, and three 2-class heads at 256, 128 and 64 px.
/// </summary>
public sealed class RauNet : nn.Module<Tensor, RauNetOutput>
{
    public const int Levels = 4;
    public const int HeadHiddenChannels = 64;
    public const int Classes = 2;

    private readonly Conv2d _stem;
    private readonly BatchNorm2d _stemBn;
    private readonly ModuleList<ResidualBlock> _encoders;
    private readonly ModuleList<Conv2d> _downs;
    private readonly ModuleList<ConvTranspose2d> _ups;
    private readonly ModuleList<ResidualBlock> _decoders;
    private readonly Dropout _dropout;
    private readonly ConvTranspose2d _head256Up;
    private readonly Conv2d _head256Out;
    private readonly Conv2d _head128Out;
    private readonly Conv2d _head64Down;
    private readonly Conv2d _head64Out;

    static RauNet()
    {
        // libtorch 2.10 CPU kernels gave intermittent NaN/garbage with more than one intra-op thread on these
        // machines (the same conv forward twice differed); one thread is exact. Trainer can raise it (CpuThreads).
        set_num_threads(1);
    }

    public RauNet(RauNetOptions options)
        : base(nameof(RauNet))
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        long f = options.Width;
        _stem = Layers.Conv(options.InputChannels, f, 3, padding: 1);
        _stemBn = Layers.BatchNorm(f, options);
        _encoders = nn.ModuleList(Enumerable.Range(0, Levels).Select(_ => new ResidualBlock(f, options)).ToArray());
        _downs = nn.ModuleList(Enumerable.Range(0, Levels).Select(_ => Layers.Conv(f, f, 2, stride: 2)).ToArray());

        // Decoder level l (0 = 128 px) takes (Levels - l) F channels from below and adds an F-wide skip.
        _ups = nn.ModuleList(Enumerable.Range(0, Levels).Select(l => Layers.ConvTranspose((Levels - l) * f, (Levels - l) * f, 2, 2)).ToArray());
        _decoders = nn.ModuleList(Enumerable.Range(0, Levels).Select(l => new ResidualBlock((Levels - l + 1) * f, options)).ToArray());
        _dropout = nn.Dropout(options.Dropout);
        long top = (Levels + 1) * f;
        _head256Up = Layers.ConvTranspose(top, HeadHiddenChannels, 3, 2);
        _head256Out = Layers.Conv(HeadHiddenChannels, Classes, 1);
        _head128Out = Layers.Conv(top, Classes, 1);
        _head64Down = Layers.Conv(top, HeadHiddenChannels, 3, stride: 2);
        _head64Out = Layers.Conv(HeadHiddenChannels, Classes, 1);
        RegisterComponents();
    }

    public RauNetOptions Options { get; }

    internal Conv2d Stem => _stem;

    internal BatchNorm2d StemBn => _stemBn;

    internal IList<ResidualBlock> Encoders => _encoders;

    internal IList<Conv2d> Downs => _downs;

    /// <summary>Up-convolutions, index 0 = the shallowest (128 px output).</summary>
    internal IList<ConvTranspose2d> Ups => _ups;

    /// <summary>Decoder blocks, index 0 = the shallowest (5F at 128 px).</summary>
    internal IList<ResidualBlock> Decoders => _decoders;

    internal Conv2d Head128Out => _head128Out;

    /// <summary>Number of trainable parameters (BN running statistics excluded).</summary>
    public long TrainableParameterCount => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    public override RauNetOutput forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.leaky_relu(_stemBn.forward(_stem.forward(input)), ResidualBlock.LeakySlope);
        var skips = new Tensor[Levels];
        for (var level = 0; level < Levels; level++)
        {
            skips[level] = _encoders[level].forward(x);
            x = nn.functional.selu(_downs[level].forward(skips[level]));
        }

        for (var level = Levels - 1; level >= 0; level--)
        {
            var up = nn.functional.selu(_ups[level].forward(x));
            x = _decoders[level].forward(cat([up, skips[level]], 1));
        }

        x = _dropout.forward(x);

        // TF "same" transposed conv (k3, s2): the full 2S + 1 output keeps its first 2S rows and columns.
        var size = x.shape[^1];
        var h256 = nn.functional.relu(_head256Up.forward(x)).narrow(2, 0, 2 * size).narrow(3, 0, 2 * size);
        var logits256 = _head256Out.forward(h256);
        var logits128 = _head128Out.forward(x);
        var h64 = nn.functional.relu(_head64Down.forward(Layers.PadAfter(x)));
        var logits64 = _head64Out.forward(h64);
        return new RauNetOutput(logits256.MoveToOuterDisposeScope(), logits128.MoveToOuterDisposeScope(), logits64.MoveToOuterDisposeScope());
    }

    /// <summary>Landslide probability of the 128 px head: softmax channel 1, [N, 1, 128, 128].</summary>
    public Tensor PredictProbability(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = forward(input);
        return nn.functional.softmax(output.Logits128, 1).narrow(1, 1, 1).MoveToOuterDisposeScope();
    }
}
