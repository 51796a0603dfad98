using System.Text.Json;
using System.Text.RegularExpressions;

namespace Landslide.Infrastructure.Tests;

/// <summary>The training job's environment in the Bicep, the "training" rows of docs/SETTINGS.md and the job's code agree.</summary>
[Collection(BicepCollection.Name)]
public sealed partial class TrainingJobSettingsTests(BicepCheckFixture fixture)
{
    // Read by Azure.Identity, not by our code.
    private static readonly string[] SdkSettings = ["AZURE_CLIENT_ID"];

    [Fact]
    public void TrainingJob_GetsExactlyTheDocumentedSettings_ReadsThemAll_AndMountsNoVolumes()
    {
        var job = Assert.Single(ArmTemplate.Resources(fixture.Load(Path.Combine("modules", "containerapps.json")), "Microsoft.App/jobs"));
        var container = ArmTemplate.Property(job, "properties", "template", "containers")[0];
        var env = ArmTemplate.Property(container, "env").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);
        var documented = File.ReadLines(RepositoryPaths.Combine("docs", "SETTINGS.md"))
            .Where(l => l.StartsWith("| training |", StringComparison.Ordinal))
            .SelectMany(l => Name().Matches(l.Split('|')[2]).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var code = string.Concat(Directory.EnumerateFiles(RepositoryPaths.Combine("src", "Landslide.Training.Job"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));

        Assert.True(env.SetEquals(documented), $"in Bicep only: [{string.Join(", ", env.Except(documented))}]; in SETTINGS.md only: [{string.Join(", ", documented.Except(env))}]");
        Assert.Contains("Training__Width", env);
        var unread = env.Except(SdkSettings).Where(name => !code.Contains($"\"{name}\"", StringComparison.Ordinal)).ToList();
        Assert.True(unread.Count == 0, $"set for the training job but not read by it: [{string.Join(", ", unread)}]");
        Assert.False(ArmTemplate.Property(job, "properties", "template").TryGetProperty("volumes", out var volumes) && volumes.ValueKind == JsonValueKind.Array && volumes.GetArrayLength() > 0);
        // landslide-train's command line: the train command, retraining from the data account with the job's identity.
        var args = ArmTemplate.Property(container, "args").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["train", "--storage", "managedidentity"], args.Take(3));
    }

    [GeneratedRegex("`([A-Za-z_]+)`")]
    private static partial Regex Name();
}
