using Landslide.Pipeline.Stalls;
using Microsoft.Azure.Functions.Worker;

namespace Landslide.Functions;

/// <summary>Every minute: re-queue chunks and finalizes whose worker stopped beating (a killed instance), see StallSweeper.</summary>
public sealed class StallSweepFunction(StallSweeper sweeper)
{
    [Function(nameof(StallSweep))]
    public Task<int> StallSweep(
        [TimerTrigger("0 */1 * * * *")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        _ = timer;
        return sweeper.SweepAsync(cancellationToken);
    }
}
