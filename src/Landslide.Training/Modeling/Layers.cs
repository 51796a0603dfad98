using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Landslide.Training.Modeling;

/// <summary>Layer construction with the network's conventions: He-normal weights, zero bias (Keras defaults).</summary>
internal static class Layers
{
    public static Conv2d Conv(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0)
    {
        var conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, bias: true);
        Init(conv.weight, conv.bias);
        return conv;
    }

    public static ConvTranspose2d ConvTranspose(long inChannels, long outChannels, long kernel, long stride)
    {
        var conv = nn.ConvTranspose2d(inChannels, outChannels, kernel, stride: stride, bias: true);
        Init(conv.weight, conv.bias);
        return conv;
    }

    public static Linear Dense(long inFeatures, long outFeatures)
    {
        var linear = nn.Linear(inFeatures, outFeatures, hasBias: true);
        Init(linear.weight, linear.bias);
        return linear;
    }

    public static BatchNorm2d BatchNorm(long channels, RauNetOptions options)
        => nn.BatchNorm2d(channels, eps: options.BatchNormEpsilon, momentum: options.BatchNormMomentum);

    /// <summary>
    /// TensorFlow "same" padding for a stride-1 even kernel or a stride-2 odd kernel on even input: the one extra
    /// row and column go after the data (right and bottom).
    /// </summary>
    public static Tensor PadAfter(Tensor x) => nn.functional.pad(x, [0, 1, 0, 1]);

    private static void Init(Tensor? weight, Tensor? bias)
    {
        using var noGrad = no_grad();
        if (weight is not null)
        {
            nn.init.kaiming_normal_(weight, a: 0, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
        }

        if (bias is not null)
        {
            nn.init.zeros_(bias);
        }
    }
}
