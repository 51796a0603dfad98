using System.Diagnostics;

namespace Landslide.Cli.Tests;

/// <summary>Runs the real `landslide` program (the built landslide.dll beside the tests) as a separate process.</summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "landslide.dll");

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        RunInAsync(null, null, arguments);

    /// <summary>Runs in <paramref name="workingDirectory"/> with extra environment variables.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunInAsync(
        string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, arguments)) ?? throw new InvalidOperationException("cannot start landslide");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public static ProcessStartInfo StartInfo(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }
}
