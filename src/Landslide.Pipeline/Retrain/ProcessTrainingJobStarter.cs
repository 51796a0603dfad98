using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Retrain;

/// <summary>Local retraining: starts Training:Command with Training:Arguments as a process and does not wait for it.</summary>
public sealed class ProcessTrainingJobStarter(IOptions<RetrainOptions> options) : ITrainingJobStarter
{
    public Task<string> StartAsync(RetrainRequest request, CancellationToken cancellationToken)
    {
        using var process = Start(request);
        return Task.FromResult(process.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>On demand (`landslide serve retrain`): starts the job the same way and waits for it; its output goes to ours.</summary>
    /// <returns>The job's exit code.</returns>
    public async Task<int> RunAsync(RetrainRequest request, CancellationToken cancellationToken)
    {
        using var process = Start(request);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }

    private Process Start(RetrainRequest request)
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
        if (o.StorageConnectionString is { Length: > 0 } connection)
        {
            start.Environment[RetrainOptions.StorageConnectionVariable] = connection;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"could not start '{o.Command}'");
    }
}
