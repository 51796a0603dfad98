using System.Text.Json;
using System.Xml.Linq;

namespace Landslide.Infrastructure.Tests;

/// <summary>The Functions app settings in the Bicep, docs/SETTINGS.md and the code agree, both ways.</summary>
[Collection(BicepCollection.Name)]
public sealed class SettingsTests(BicepCheckFixture fixture)
{
    private static readonly string FunctionsProject = RepositoryPaths.Combine("src", "Landslide.Functions", "Landslide.Functions.csproj");

    [Fact]
    public void Bicep_SetsExactlyTheSettingsOfSettingsMd()
    {
        var bicep = BicepAppSettings();
        var document = SettingsDocument.Load(RepositoryPaths.Combine("docs", "SETTINGS.md"));
        var documented = document.Code.Union(document.Host).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(document.Code);
        Assert.NotEmpty(document.Host);
        Assert.Equal(bicep.Count, bicep.Distinct(StringComparer.Ordinal).Count());
        Assert.True(
            documented.SetEquals(bicep),
            $"set in Bicep, not in SETTINGS.md: [{string.Join(", ", bicep.Except(documented))}]; "
            + $"in SETTINGS.md, not in Bicep: [{string.Join(", ", documented.Except(bicep))}]");
    }

    [Fact]
    public void Bicep_UsesIdentityConnections_AndKeyVaultReferencesForSecrets()
    {
        var settings = BicepAppSettingsWithValues();

        Assert.Equal("managedidentity", settings["Storage__credential"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.DoesNotContain(settings.Keys, k => k is "AzureWebJobsStorage" or "Storage" || k.EndsWith("ConnectionString", StringComparison.Ordinal));
        Assert.StartsWith("[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})'", settings["InferenceClient__ApiKey"], StringComparison.Ordinal);
        Assert.StartsWith("[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})'", settings["Alerts__Webhooks__0__Secret"], StringComparison.Ordinal);
    }

    [Fact]
    public void Code_ReadsExactlyTheDocumentedSettings_OnceTheFunctionsProjectExists()
    {
        if (!File.Exists(FunctionsProject))
        {
            // Until src/Landslide.Functions exists, the Bicep is checked against docs/SETTINGS.md only
            // (the test above); the scanner itself is covered by AppSettingsScannerTests.
            return;
        }

        var code = ScanFunctionsHost();
        var documented = SettingsDocument.Load(RepositoryPaths.Combine("docs", "SETTINGS.md")).Code;

        var unread = documented.Where(s => !code.Reads(s)).ToList();
        var missingRequired = code.Required.Where(r => !documented.Any(d => AppSettingsScanner.NormalizeIndexes(d) == r)).ToList();
        var missingConnections = code.Connections.Where(c => !documented.Any(d => CodeSettings.IsConnectionSetting(c, d))).ToList();

        Assert.True(unread.Count == 0, $"set by the Bicep but not read by the code: [{string.Join(", ", unread)}]");
        Assert.True(missingRequired.Count == 0, $"required by the code but not set: [{string.Join(", ", missingRequired)}]");
        Assert.True(missingConnections.Count == 0, $"connections without settings: [{string.Join(", ", missingConnections)}]");
    }

    private static CodeSettings ScanFunctionsHost()
    {
        // The host's configuration calls, and those of the libraries it references (transitively).
        var projects = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(FunctionsProject)]);
        while (pending.TryPop(out var project))
        {
            if (!projects.Add(project) || !File.Exists(project))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")?.Value.Replace('\\', '/');
                if (include is not null)
                {
                    pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include)));
                }
            }
        }

        var hostSources = projects.SelectMany(p => SourcesUnder(Path.GetDirectoryName(p)!));
        var allSources = SourcesUnder(RepositoryPaths.Combine("src"));
        return AppSettingsScanner.Scan(hostSources, allSources);
    }

    private static IEnumerable<string> SourcesUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);

    private List<string> BicepAppSettings() => [.. BicepAppSettingsWithValues(duplicatesAllowed: true).Keys];

    private Dictionary<string, string> BicepAppSettingsWithValues(bool duplicatesAllowed = false)
    {
        var sites = ArmTemplate.Resources(fixture.Load(Path.Combine("modules", "functions.json")), "Microsoft.Web/sites");
        var site = Assert.Single(sites);
        var appSettings = ArmTemplate.Property(site, "properties", "siteConfig", "appSettings");
        Assert.Equal(JsonValueKind.Array, appSettings.ValueKind);

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in appSettings.EnumerateArray())
        {
            var name = ArmTemplate.Property(setting, "name").GetString()!;
            Assert.True(duplicatesAllowed || !result.ContainsKey(name), $"duplicate app setting {name}");
            result[name] = ArmTemplate.StringOrNull(setting, "value") ?? string.Empty;
        }

        return result;
    }
}
