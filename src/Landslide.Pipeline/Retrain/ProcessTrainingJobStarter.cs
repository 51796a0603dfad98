using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Retrain;

/// <summary>Local retraining: starts Training:Command with Training:Arguments as a process and does not wait for it.</summary>
public sealed class ProcessTrainingJobStarter(IOptions<RetrainOptions> options) : ITrainingJobStarter
{
    public Task<string> StartAsync(RetrainRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Command))
        {
            throw new InvalidOperationException("Training:Command is not set: name the program that trains (e.g. landslide-train) to retrain locally");
        }

        var start = new ProcessStartInfo(o.Command, o.Arguments ?? string.Empty) { UseShellExecute = false };
        start.Environment["LANDSLIDE_NEW_PAIRS"] = request.NewPairs.ToString(CultureInfo.InvariantCulture);
        start.Environment["LANDSLIDE_DATA_FINGERPRINT"] = request.Fingerprint;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start '{o.Command}'");
        return Task.FromResult(process.Id.ToString(CultureInfo.InvariantCulture));
    }
}
