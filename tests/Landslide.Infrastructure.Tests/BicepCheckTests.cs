namespace Landslide.Infrastructure.Tests;

/// <summary>The offline check CI runs: every template builds, lints and every parameter file builds, with zero diagnostics.</summary>
[Collection(BicepCollection.Name)]
public sealed class BicepCheckTests(BicepCheckFixture fixture)
{
    [Fact]
    public void Check_BuildsLintsAndBuildsParams_WithZeroDiagnostics()
    {
        var result = fixture.Result;

        Assert.True(result.ExitCode == 0, $"infra/bicep.sh exited {result.ExitCode}:\n{result.Output}");
        Assert.DoesNotContain(": Warning ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(": Error ", result.Output, StringComparison.Ordinal);
        Assert.Contains("0 diagnostics", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CompilesEveryModuleAndBothParameterFiles()
    {
        var modules = Directory.GetFiles(RepositoryPaths.Combine("bicep", "modules"), "*.bicep");
        Assert.NotEmpty(modules);
        foreach (var module in modules)
        {
            fixture.Load(Path.Combine("modules", Path.GetFileNameWithoutExtension(module) + ".json"));
        }

        fixture.Load("main.json");
        fixture.Load("main.dev.parameters.json");
        fixture.Load("main.prod.parameters.json");
    }

    [Fact]
    public async Task Check_Fails_WhenATemplateHasALinterWarning()
    {
        // A scratch repository holding one template with an unused parameter, checked with the same config.
        var scratch = Directory.CreateTempSubdirectory("landslide-bicep-bad-");
        try
        {
            var bicepDir = Directory.CreateDirectory(Path.Combine(scratch.FullName, "bicep"));
            File.Copy(RepositoryPaths.Combine("bicep", "bicepconfig.json"), Path.Combine(bicepDir.FullName, "bicepconfig.json"));
            await File.WriteAllTextAsync(
                Path.Combine(bicepDir.FullName, "bad.bicep"),
                "param unused string\n",
                CancellationToken.None);

            var result = await ScriptRunner.RunAsync(
                RepositoryPaths.Combine("infra", "bicep.sh"),
                new Dictionary<string, string>
                {
                    ["BICEP_ROOT"] = scratch.FullName,
                    ["BICEP_OUT"] = Path.Combine(scratch.FullName, "out"),
                },
                TimeSpan.FromMinutes(5),
                CancellationToken.None);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("no-unused-params", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
