using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Landslide.Infrastructure.Tests;

/// <summary>infra/deploy.sh and infra/post-deploy.sh agree with the images under infra/ and the template's outputs.</summary>
[Collection(BicepCollection.Name)]
public sealed partial class DeployScriptTests(BicepCheckFixture fixture)
{
    private static readonly string[] Scripts = ["deploy.sh", "post-deploy.sh"];

    [Fact]
    public void DeployScript_BuildsEveryImageUnderInfra_AndHandsItToTheTemplate()
    {
        var deploy = File.ReadAllText(RepositoryPaths.Combine("infra", "deploy.sh"));
        var images = Directory.GetDirectories(RepositoryPaths.Combine("infra"))
            .Where(d => File.Exists(Path.Combine(d, "Dockerfile")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
        var parameters = ArmTemplate.Property(fixture.Load("main.json"), "parameters");

        Assert.Equal(["functions", "inference", "training"], images);
        foreach (var image in images)
        {
            var variable = $"LANDSLIDE_{image!.ToUpperInvariant()}_IMAGE";
            Assert.Contains($"--file \"$root/infra/{image}/Dockerfile\"", deploy, StringComparison.Ordinal);
            Assert.Contains($"export {variable}=", deploy, StringComparison.Ordinal);
            Assert.True(parameters.TryGetProperty($"{image}Image", out _), $"main.bicep has no parameter {image}Image");
            foreach (var file in new[] { "main.dev.bicepparam", "main.prod.bicepparam" })
            {
                Assert.Contains(
                    $"param {image}Image = readEnvironmentVariable('{variable}', '')",
                    File.ReadAllText(RepositoryPaths.Combine("bicep", file)),
                    StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Scripts_ReadOnlyOutputsTheTemplateHas()
    {
        var outputs = ArmTemplate.Property(fixture.Load("main.json"), "outputs");
        var read = Scripts
            .SelectMany(s => OutputCall().Matches(File.ReadAllText(RepositoryPaths.Combine("infra", s))))
            .Select(m => m.Groups["name"].Value)
            .Distinct()
            .ToList();

        Assert.Contains("functionAppUrl", read);
        Assert.Contains("eventGridSystemTopicName", read);
        Assert.All(read, name => Assert.True(outputs.TryGetProperty(name, out _), $"a script reads output {name}, which main.bicep does not have"));
    }

    [Theory]
    [InlineData("deploy.sh")]
    [InlineData("post-deploy.sh")]
    public void Script_IsValidBash(string script)
    {
        var start = new ProcessStartInfo("bash", ["-n", RepositoryPaths.Combine("infra", script)]) { RedirectStandardError = true };
        using var bash = Process.Start(start)!;
        var errors = bash.StandardError.ReadToEnd();
        bash.WaitForExit();

        Assert.True(bash.ExitCode == 0, errors);
    }

    [GeneratedRegex(@"\$\(output (?<name>\w+)\)")]
    private static partial Regex OutputCall();
}
