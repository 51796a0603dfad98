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
    public void Bicep_UsesIdentityConnections_AndKeyVaultSecretsForSecrets()
    {
        var settings = BicepAppSettingsWithValues();
        var secrets = ArmTemplate.Property(FunctionsApp(), "properties", "configuration", "secrets").EnumerateArray()
            .ToDictionary(e => ArmTemplate.Property(e, "name").GetString()!, e => e);

        Assert.Equal("managedidentity", settings["Storage__credential"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.DoesNotContain(settings.Keys, k => k is "AzureWebJobsStorage" or "Storage" || k.EndsWith("ConnectionString", StringComparison.Ordinal));
        foreach (var setting in new[] { "InferenceClient__ApiKey", "Alerts__Webhooks__0__Secret" })
        {
            // A secretRef, never a value: the secret is a Key Vault reference resolved with the app's identity.
            Assert.StartsWith("secretRef:", settings[setting], StringComparison.Ordinal);
            var secret = secrets[settings[setting]["secretRef:".Length..]];
            Assert.Contains("secrets/", ArmTemplate.Property(secret, "keyVaultUrl").GetString(), StringComparison.Ordinal);
            Assert.Contains("identityId", ArmTemplate.Property(secret, "identity").GetString(), StringComparison.Ordinal);
            Assert.False(secret.TryGetProperty("value", out _), $"{setting} must not carry a literal value");
        }
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
        var document = SettingsDocument.Load(RepositoryPaths.Combine("docs", "SETTINGS.md"));
        var documented = document.Code.Union(document.Optional).ToList();

        Assert.NotEmpty(document.Optional);
        Assert.Empty(document.Code.Intersect(document.Optional));
        var unread = documented.Where(s => !code.Reads(s)).ToList();
        var undocumented = code.Readable.Where(r => !documented.Any(d => AppSettingsScanner.NormalizeIndexes(d) == r)).Order(StringComparer.Ordinal).ToList();
        var missingRequired = code.Required.Where(r => !documented.Any(d => AppSettingsScanner.NormalizeIndexes(d) == r)).ToList();
        var missingConnections = code.Connections.Where(c => !documented.Any(d => CodeSettings.IsConnectionSetting(c, d))).ToList();

        Assert.True(unread.Count == 0, $"documented in SETTINGS.md but not read by the code: [{string.Join(", ", unread)}]");
        Assert.True(missingRequired.Count == 0, $"required by the code but not set: [{string.Join(", ", missingRequired)}]");
        Assert.True(missingConnections.Count == 0, $"connections without settings: [{string.Join(", ", missingConnections)}]");
        Assert.True(undocumented.Count == 0, $"read by the code but not in SETTINGS.md (document and set them, or make them no settings): [{string.Join(", ", undocumented)}]");
    }

    [Fact]
    public void Code_UsesEveryDocumentedSetting_NotOnlyBindsIt()
    {
        // A setting bound into an options class but never read outside it (only validated, say) is dead: it must go
        // from the options, the Bicep and SETTINGS.md together.
        var code = ScanFunctionsHost();
        var document = SettingsDocument.Load(RepositoryPaths.Combine("docs", "SETTINGS.md"));
        var documented = document.Code.Union(document.Optional)
            .Select(AppSettingsScanner.NormalizeIndexes).ToHashSet(StringComparer.Ordinal);

        var unused = AppSettingsScanner.Unused(code, SourcesUnder(RepositoryPaths.Combine("src")))
            .Where(documented.Contains).ToList();

        Assert.NotEmpty(code.Declarations);
        Assert.True(unused.Count == 0, $"documented and bound, but no code reads them: [{string.Join(", ", unused)}]");
    }

    private static CodeSettings ScanFunctionsHost() => ScanHost(FunctionsProject);

    /// <summary>The configuration calls of a host project and of the libraries it references (transitively).</summary>
    internal static CodeSettings ScanHost(string hostProject)
    {
        var projects = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(hostProject)]);
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

    internal static IEnumerable<string> SourcesUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);

    private List<string> BicepAppSettings() => [.. BicepAppSettingsWithValues(duplicatesAllowed: true).Keys];

    /// <summary>The Functions container app (kind functionapp) of functions.bicep.</summary>
    private JsonElement FunctionsApp() =>
        Assert.Single(ArmTemplate.Resources(fixture.Load(Path.Combine("modules", "functions.json")), "Microsoft.App/containerApps"));

    /// <summary>The container's environment: name to value, or to "secretRef:NAME" for a secret.</summary>
    private Dictionary<string, string> BicepAppSettingsWithValues(bool duplicatesAllowed = false)
    {
        var container = Assert.Single(ArmTemplate.Property(FunctionsApp(), "properties", "template", "containers").EnumerateArray());
        var env = ArmTemplate.Property(container, "env");
        Assert.Equal(JsonValueKind.Array, env.ValueKind);

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in env.EnumerateArray())
        {
            var name = ArmTemplate.Property(setting, "name").GetString()!;
            Assert.True(duplicatesAllowed || !result.ContainsKey(name), $"duplicate app setting {name}");
            result[name] = ArmTemplate.StringOrNull(setting, "secretRef") is { } secretRef
                ? $"secretRef:{secretRef}"
                : ArmTemplate.StringOrNull(setting, "value") ?? string.Empty;
        }

        return result;
    }
}
