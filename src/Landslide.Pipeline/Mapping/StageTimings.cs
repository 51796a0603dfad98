using System.Diagnostics;

namespace Landslide.Pipeline.Mapping;

/// <summary>Wall time per stage of a run, summed over the times a stage runs; recorded in run.json.</summary>
public sealed class StageTimings
{
    private readonly Dictionary<string, TimeSpan> _elapsed = [];

    public void Add(string stage, TimeSpan elapsed) =>
        _elapsed[stage] = _elapsed.GetValueOrDefault(stage) + elapsed;

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

    public IReadOnlyDictionary<string, double> ToSeconds() =>
        _elapsed.ToDictionary(e => e.Key, e => Math.Round(e.Value.TotalSeconds, 3));
}
