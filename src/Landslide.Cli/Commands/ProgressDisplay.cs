using Landslide.Pipeline.Mapping;
using Spectre.Console;

namespace Landslide.Cli.Commands;

/// <summary>A progress bar on a terminal; on a pipe or in CI, a plain line every 10 % instead.</summary>
internal static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(Func<IProgress<MapProgress>, Task<T>> work)
    {
        if (Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lastDecile = -1L;
            var plain = new SynchronousProgress(p =>
            {
                var decile = p.TilesTotal == 0 ? 10 : p.TilesDone * 10 / p.TilesTotal;
                if (decile != lastDecile)
                {
                    lastDecile = decile;
                    Console.Error.WriteLine($"{p.Stage}: {p.TilesDone}/{p.TilesTotal} tiles");
                }
            });
            return await work(plain).ConfigureAwait(false);
        }

        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("segment");
                var bar = new SynchronousProgress(p =>
                {
                    task.Description = p.Stage;
                    task.MaxValue = Math.Max(1, p.TilesTotal);
                    task.Value = p.TilesDone;
                });
                var result = await work(bar).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<MapProgress> report) : IProgress<MapProgress>
    {
        public void Report(MapProgress value) => report(value);
    }
}
