using Landslide.Pipeline.Stalls;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Landslide.Pipeline.Hosting;

/// <summary>The Functions app's StallSweep timer, as a hosted service (the WebJobs timer extension breaks this host, docs/ARCHITECTURE.md).</summary>
internal sealed partial class LocalStallSweeper(StallSweeper sweeper, TimeSpan interval, ILogger<LocalStallSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await sweeper.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed sweep (storage briefly away) must not stop the next ones.
                LogFailed(Storage.SecretRedactor.Redact(e.Message));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stall sweep failed: {Error}")]
    private partial void LogFailed(string error);
}
