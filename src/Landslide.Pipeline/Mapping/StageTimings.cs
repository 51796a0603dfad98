using System.Diagnostics;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// Wall time per stage of a run, summed over the times a stage runs; recorded in run.json. Thread-safe: the stages of
/// the pipelined mapper add their times from their own threads (so with that engine the stage times overlap and may
/// add up to more than the wall time).
/// </summary>
public sealed class StageTimings
{
    private readonly Dictionary<string, TimeSpan> _elapsed = [];
    private readonly Lock _lock = new();

    public void Add(string stage, TimeSpan elapsed)
    {
        PipelineTelemetry.StageTimed(stage, elapsed);
        lock (_lock)
        {
            _elapsed[stage] = _elapsed.GetValueOrDefault(stage) + elapsed;
        }
    }

    public T Time<T>(string stage, Func<T> work)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            return work();
        }
        finally
        {
            Add(stage, watch.Elapsed);
        }
    }

    public void Time(string stage, Action work) => Time(stage, () =>
    {
        work();
        return true;
    });

    public IReadOnlyDictionary<string, double> ToSeconds()
    {
        lock (_lock)
        {
            return _elapsed.ToDictionary(e => e.Key, e => Math.Round(e.Value.TotalSeconds, 3));
        }
    }
}
