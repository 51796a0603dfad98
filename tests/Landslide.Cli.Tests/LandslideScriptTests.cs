using System.Diagnostics;
using System.Reflection;
using Landslide.TestSupport;

namespace Landslide.Cli.Tests;

/// <summary>
/// The `landslide` script at the repository root, as README users type it: the training commands go to landslide-train
/// (the only program with TorchSharp), everything else to landslide. The builds are fresh here, so the script only runs.
/// </summary>
public sealed class LandslideScriptTests
{
    [Theory]
    [InlineData("export", "landslide-train export")]
    [InlineData("training", "landslide-train training")]
    [InlineData("evaluate", "landslide-train evaluate")]
    [InlineData("map", "landslide map")]
    [InlineData("serve", "landslide serve")]
    public async Task Script_SendsEachCommand_ToItsProgram(string command, string usage)
    {
        var (exitCode, stdout, stderr) = await RunScriptAsync(command, "--help");

        Assert.True(exitCode == 0, $"./landslide {command} --help exited {exitCode}: {stderr}");
        Assert.Contains($"  {usage} ", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunScriptAsync(params string[] arguments)
    {
        var root = typeof(AzuriteFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root, "landslide"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
