namespace Landslide.Infrastructure.Tests;

/// <summary>
/// `landslide serve`'s host (src/Landslide.Pipeline.Hosting and what it references) reads exactly what docs/SETTINGS.md
/// documents: the Functions app's settings it shares, plus the "Read by `landslide serve` only" table.
/// </summary>
public sealed class ServeSettingsTests
{
    private static readonly string ServeProject = RepositoryPaths.Combine("src", "Landslide.Pipeline.Hosting", "Landslide.Pipeline.Hosting.csproj");

    [Fact]
    public void Serve_ReadsNoUndocumentedSetting()
    {
        var code = SettingsTests.ScanHost(ServeProject);
        var document = SettingsDocument.Load(RepositoryPaths.Combine("docs", "SETTINGS.md"));
        var documented = document.Code.Union(document.Optional).Union(document.Serve)
            .Select(AppSettingsScanner.NormalizeIndexes).ToHashSet(StringComparer.Ordinal);

        var undocumented = code.Readable.Union(code.Required).Where(r => !documented.Contains(r)).Order(StringComparer.Ordinal).ToList();

        Assert.Contains("Serve__Storage", code.Readable);
        Assert.True(undocumented.Count == 0, $"read by serve's host but not in SETTINGS.md: [{string.Join(", ", undocumented)}]");
    }

    [Fact]
    public void Serve_ReadsEverySettingOfItsTable()
    {
        var code = SettingsTests.ScanHost(ServeProject);
        var document = SettingsDocument.Load(RepositoryPaths.Combine("docs", "SETTINGS.md"));

        var unread = document.Serve.Where(s => !code.Reads(s)).ToList();
        var shared = document.Serve.Intersect(document.Code.Union(document.Optional)).ToList();

        Assert.NotEmpty(document.Serve);
        Assert.True(unread.Count == 0, $"in SETTINGS.md's serve table but not read by serve's host: [{string.Join(", ", unread)}]");
        Assert.True(shared.Count == 0, $"in the serve table and a Functions table: [{string.Join(", ", shared)}]");
    }
}
