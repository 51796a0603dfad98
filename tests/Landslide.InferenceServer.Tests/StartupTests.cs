using System.Diagnostics;
using Landslide.TestSupport;

namespace Landslide.InferenceServer.Tests;

/// <summary>The real program (dotnet Landslide.InferenceServer.dll) started with settings it must refuse.</summary>
public sealed class StartupTests
{
    public static TheoryData<string[], string> RefusedSettings => new()
    {
        { ["--InferenceServer:ApiKeys:0=short-key"], "InferenceServer:ApiKeys:0 is shorter than 32 characters" },
        { [], "set InferenceServer:ApiKeys:0" },
        { ["--InferenceServer:AuthMode=EntraId", "--InferenceServer:EntraAuthority=https://login.microsoftonline.com/t/v2.0", "--InferenceServer:EntraAudience=api://x"], "InferenceServer:EntraRequiredRoles:0" },
        { ["--InferenceServer:ApiKeys:0=0123456789abcdef0123456789abcdef", "--InferenceServer:ModelSource=Blob"], "InferenceServer:Blob:ConnectionString" },
        { ["--InferenceServer:ApiKeys:0=0123456789abcdef0123456789abcdef", "--InferenceServer:MaxTilesPerRequest=lots"], "InferenceServer:MaxTilesPerRequest" },
        { ["--InferenceServer:ApiKeys:0=0123456789abcdef0123456789abcdef", "--InferenceServer:MaxBufferedBytes=1000"], "InferenceServer:MaxBufferedBytes" },
    };

    [Theory]
    [MemberData(nameof(RefusedSettings))]
    public async Task BadSettings_PrintOneLineSayingWhatToSet_AndExit2(string[] settings, string expected)
    {
        using var models = new TempDirectory("server-start");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = models.Path,
        };
        start.ArgumentList.Add(ServerAssembly());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.ArgumentList.Add($"--InferenceServer:ModelsRoot={models.Path}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        // Keys or settings from the environment of the test run must not leak in.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("InferenceServer__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("inference server refused to start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", await stdout, StringComparison.Ordinal);
    }

    /// <summary>The server's own build output, next to this test project's (artifacts/bin/{project}/{pivot}/).</summary>
    private static string ServerAssembly()
    {
        var mine = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(mine.Parent!.Parent!.FullName, "Landslide.InferenceServer", mine.Name, "Landslide.InferenceServer.dll");
        Assert.True(File.Exists(path), $"build src/Landslide.InferenceServer first: {path} is missing");
        return path;
    }
}
