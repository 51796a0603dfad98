using System.Diagnostics;
using System.Text.Json;
using Landslide.TestSupport;

namespace Landslide.Cli.Tests;

/// <summary>
/// What both programs share on the command line, through the real processes: landslide carries no trainer, --version,
/// -o, --json on stdout, -q/-v on the logs (stderr), and landslide-train's strict parsing.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _temp = new("cli-common");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Landslide_BuildOutput_CarriesNoTorchSharp()
    {
        // artifacts/bin/Landslide.Cli/{config}/ beside artifacts/bin/Landslide.Cli.Tests/{config}/: the program as built.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var output = Path.Combine(here.Parent!.Parent!.FullName, "Landslide.Cli", here.Name);
        Assert.True(File.Exists(Path.Combine(output, "landslide.dll")), $"landslide's build output not found at {output}");

        var torch = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(n => n!.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) || n.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.True(torch.Count == 0, $"landslide ships the trainer: {string.Join(", ", torch)}");
        foreach (var deps in new[] { Path.Combine(output, "landslide.deps.json"), Path.Combine(AppContext.BaseDirectory, "landslide.deps.json") })
        {
            var text = File.ReadAllText(deps);
            Assert.DoesNotContain("TorchSharp", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Landslide.Training", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_BothPrograms_PrintTheirInformationalVersion()
    {
        var landslide = await CliProcess.RunAsync("--version");
        var train = await CliProcess.TrainAsync("--version");

        Assert.Equal(0, landslide.ExitCode);
        Assert.Equal(0, train.ExitCode);
        Assert.Equal(FileVersionInfo.GetVersionInfo(CliProcess.Dll).ProductVersion, landslide.Stdout.Trim());
        Assert.Equal(FileVersionInfo.GetVersionInfo(CliProcess.TrainDll).ProductVersion, train.Stdout.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+", landslide.Stdout);
    }

    [Fact]
    public async Task SampleAndMap_ShortOut_Json_OnStdout_LogsOnStderr_AtTheLevelOfQuietAndVerbose()
    {
        var sample = await CliProcess.RunAsync("sample", "-o", _temp.File("sample"), "--size", "256", "--seed", "5", "--json");
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        using var files = JsonDocument.Parse(sample.Stdout);
        var scene = files.RootElement.GetProperty("scene").GetString()!;
        Assert.True(File.Exists(scene), scene);
        Assert.True(File.Exists(files.RootElement.GetProperty("truth").GetString()));

        var normal = await CliProcess.RunAsync("map", scene, "-o", _temp.File("normal"), "--json");
        var quiet = await CliProcess.RunAsync("map", scene, "-o", _temp.File("quiet"), "-q");
        var verbose = await CliProcess.RunAsync("map", scene, "--out", _temp.File("verbose"), "--verbose");

        Assert.True(normal.ExitCode == 0, normal.Stderr);
        using (var result = JsonDocument.Parse(normal.Stdout))
        {
            Assert.Equal(_temp.File("normal"), result.RootElement.GetProperty("output_directory").GetString());
            Assert.Equal(256L * 256, result.RootElement.GetProperty("valid_pixels").GetInt64());
            Assert.True(result.RootElement.GetProperty("polygons").GetInt64() >= 0);
        }

        Assert.True(File.Exists(_temp.File("normal/mask.tif")), "-o did not write the outputs");
        Assert.Contains(" info: ", normal.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" dbug: ", normal.Stderr, StringComparison.Ordinal);

        Assert.True(quiet.ExitCode == 0, quiet.Stderr);
        Assert.True(File.Exists(_temp.File("quiet/mask.tif")));
        Assert.DoesNotContain(" info: ", quiet.Stderr, StringComparison.Ordinal);
        Assert.Contains("landslide polygons", quiet.Stdout, StringComparison.Ordinal);

        Assert.True(verbose.ExitCode == 0, verbose.Stderr);
        Assert.Contains(" dbug: ", verbose.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" dbug: ", verbose.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(" info: ", verbose.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus", "1", "Unrecognized command or argument '--bogus'")]
    [InlineData("--epochs", "ten", "Cannot parse argument 'ten' for option '--epochs'")]
    [InlineData("--train-ids", "1,x", "'x' is not a patch id")]
    public async Task Train_UnknownFlagOrBadNumber_Exits2_NamingIt(string option, string value, string expected)
    {
        var train = await CliProcess.TrainAsync("train", "--data", _temp.Path, "-o", _temp.File("model"), option, value);

        Assert.Equal(2, train.ExitCode);
        Assert.Contains(expected, train.Stderr, StringComparison.Ordinal);
        Assert.Contains("landslide-train train --help", train.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("model")), "a command line that does not parse must not start training");
    }

    [Fact]
    public async Task AzureJobArguments_InTheBicepAndTheDockerfile_AreLandslideTrainsTrainCommand()
    {
        var root = System.Reflection.CustomAttributeExtensions.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>(typeof(AzuriteFixture).Assembly).First(a => a.Key == "RepositoryRoot").Value!;
        var bicep = System.Text.RegularExpressions.Regex.Match(
            File.ReadAllText(Path.Combine(root, "bicep", "modules", "containerapps.bicep")), @"args: \[([^\]]*)\]").Groups[1].Value;
        var docker = File.ReadLines(Path.Combine(root, "infra", "training", "Dockerfile")).Single(l => l.StartsWith("CMD [", StringComparison.Ordinal))[5..^1];
        // No Storage__* settings here: the command line parses, reaches the managed-identity storage and names what is missing.
        var unset = new Dictionary<string, string> { ["Storage__blobServiceUri"] = string.Empty, ["Storage__queueServiceUri"] = string.Empty, ["Storage__clientId"] = string.Empty };

        foreach (var list in new string[] { bicep, docker })
        {
            string[] arguments = [.. list.Split(',').Select(a => a.Trim().Trim('\'', '"'))];
            Assert.Equal(["train", "--storage", "managedidentity"], arguments.Take(3));
            var job = await CliProcess.RunProgramAsync(CliProcess.TrainDll, _temp.Path, unset, arguments);
            Assert.Equal(2, job.ExitCode);
            Assert.Contains("--storage managedidentity needs Storage__blobServiceUri", job.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Landslide_HasNoTrainingCommands_TheyAreLandslideTrains()
    {
        var train = await CliProcess.RunAsync("train", "--data", _temp.Path);

        Assert.Equal(2, train.ExitCode);
        Assert.Contains("Unrecognized command or argument 'train'", train.Stderr, StringComparison.Ordinal);
    }
}
