using Landslide.Pipeline.Retrain;
using Microsoft.Azure.Functions.Worker;

namespace Landslide.Functions;

/// <summary>%RETRAIN_SCHEDULE% (NCRONTAB): start the training job when new labelled data arrived.</summary>
public sealed class RetrainScheduleFunction(RetrainHandler handler)
{
    [Function(nameof(RetrainSchedule))]
    public Task<RetrainOutcome> RetrainSchedule(
        [TimerTrigger("%RETRAIN_SCHEDULE%")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        _ = timer;
        return handler.HandleAsync(cancellationToken);
    }
}
