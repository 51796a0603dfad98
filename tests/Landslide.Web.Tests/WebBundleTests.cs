using Landslide.TestSupport;

namespace Landslide.Web.Tests;

/// <summary>The committed bundle (embedded in Landslide.Web) is what web/build.mjs makes from the locked npm packages.</summary>
public sealed class WebBundleTests : IDisposable
{
    private readonly TempDirectory _folder = new("bundle");

    [Fact]
    public async Task CommittedBundle_IsWhatTheBuildScriptProduces()
    {
        var start = new System.Diagnostics.ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Repository.Path("web/build.mjs"));
        start.ArgumentList.Add(_folder.Path);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
        foreach (var name in new[] { "app.js", "ol.css" })
        {
            var built = await File.ReadAllBytesAsync(_folder.File(name));
            var committed = await File.ReadAllBytesAsync(Repository.Path($"src/Landslide.Web/wwwroot/{name}"));
            Assert.True(built.AsSpan().SequenceEqual(committed), $"{name} is stale: run npm run build:web");
        }
    }

    public void Dispose() => _folder.Dispose();
}
