using System.Diagnostics;

namespace Landslide.Cli.Tests;

/// <summary>
/// Runs the real programs as separate processes: `landslide` (the built landslide.dll beside the tests) and
/// `landslide-train` (landslide-train.dll in its own build output, artifacts/bin/Landslide.Training.Job/{config}/).
/// </summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "landslide.dll");

    public static string TrainDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(here.Parent!.Parent!.FullName, "Landslide.Training.Job", here.Name, "landslide-train.dll");
        }
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        RunInAsync(null, null, arguments);

    /// <summary>Runs `landslide-train` with these arguments.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> TrainAsync(params string[] arguments) =>
        RunProgramAsync(TrainDll, null, null, arguments);

    /// <summary>Runs in <paramref name="workingDirectory"/> with extra environment variables.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunInAsync(
        string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunProgramAsync(Dll, workingDirectory, environment, arguments);

    /// <summary>Runs <paramref name="dll"/> (<see cref="Dll"/> or <see cref="TrainDll"/>) in a folder with extra environment variables.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunProgramAsync(
        string dll, string? workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] arguments)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, arguments, dll)) ?? throw new InvalidOperationException($"cannot start {dll}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public static ProcessStartInfo StartInfo(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> arguments, string? dll = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(dll ?? Dll);
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
