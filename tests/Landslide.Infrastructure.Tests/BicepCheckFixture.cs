using System.Text.Json;

namespace Landslide.Infrastructure.Tests;

/// <summary>
/// Runs infra/bicep.sh once for every test in the "bicep" collection (the CLI costs seconds per start)
/// and gives access to the compiled ARM JSON it wrote.
/// </summary>
public sealed class BicepCheckFixture : IAsyncLifetime
{
    private readonly string _outDir = Path.Combine(Path.GetTempPath(), "landslide-bicep-" + Guid.NewGuid().ToString("N"));

    internal ScriptResult Result { get; private set; } = new(-1, "not run");

    public async Task InitializeAsync()
    {
        Result = await ScriptRunner.RunAsync(
            RepositoryPaths.Combine("infra", "bicep.sh"),
            new Dictionary<string, string> { ["BICEP_OUT"] = _outDir },
            TimeSpan.FromMinutes(8),
            CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_outDir))
        {
            Directory.Delete(_outDir, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>A compiled file relative to the output folder, e.g. "main.json" or "modules/storage.json".</summary>
    internal JsonElement Load(string relativePath)
    {
        var path = Path.Combine(_outDir, relativePath);
        Assert.True(File.Exists(path), $"bicep.sh did not produce {relativePath}; its output:\n{Result.Output}");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
