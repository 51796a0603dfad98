using System.Diagnostics;
using Landslide.Pipeline.Mapping;

namespace Landslide.Pipeline.Runs;

/// <summary>Times asynchronous stage work into a <see cref="StageTimings"/>.</summary>
internal static class StageTimingsExtensions
{
    public static async Task<T> TimeAsync<T>(this StageTimings timings, string stage, Func<Task<T>> work)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            timings.Add(stage, watch.Elapsed);
        }
    }
}
