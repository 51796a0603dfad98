using Landslide.Pipeline.Retrain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Landslide.Pipeline.Hosting;

/// <summary>
/// The local retrain schedule: the served WebJobs timer extension breaks the host (docs/ARCHITECTURE.md), so a hosted service
/// runs the same handler on a fixed interval.
/// </summary>
internal sealed partial class LocalRetrainSchedule(RetrainHandler handler, TimeSpan interval, ILogger<LocalRetrainSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var outcome = await handler.HandleAsync(stoppingToken).ConfigureAwait(false);
                LogChecked(outcome.Started, outcome.Reason);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed check must not stop the schedule; the next tick tries again.
                LogFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrain check: started {Started} ({Reason})")]
    private partial void LogChecked(bool started, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrain check failed")]
    private partial void LogFailed(Exception error);
}
