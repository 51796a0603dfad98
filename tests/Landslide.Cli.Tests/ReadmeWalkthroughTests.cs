using System.Reflection;
using System.Text.Json;
using Landslide.Pipeline.Alerts;
using Landslide.TestSupport;

namespace Landslide.Cli.Tests;

/// <summary>
/// README "Run the pipeline locally", command by command as written, in a fresh folder with the real program and
/// the embedded model. Two substitutions only: the storage comes from LANDSLIDE_Serve__Storage (this test's Azurite
/// on free ports, so `--start-azurite` has nothing to start), and the webhook URL is this test's receiver.
/// </summary>
public sealed class ReadmeWalkthroughTests : IAsyncLifetime
{
    private const string ReadmeWebhook = "http://127.0.0.1:9000/hook";
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("readme");
    private readonly WebhookReceiver _receiver = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        _receiver.Dispose();
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task ReadmeLocalPipelineCommands_RunInOrder_AndDeliverResultsAndOneSignedAlert()
    {
        var commands = ReadmeCommands();
        Assert.Contains(commands, c => c.Take(2).SequenceEqual(["serve", "drop"]));
        Assert.Contains(commands, c => c.Take(2).SequenceEqual(["serve", "status"]));
        Assert.Contains(commands, c => c.Take(2).SequenceEqual(["serve", "results"]));
        var environment = new Dictionary<string, string> { ["LANDSLIDE_Serve__Storage"] = _azurite.ConnectionString };
        ServeProcess? serve = null;
        string? secret = null;
        try
        {
            foreach (var command in commands)
            {
                if (command is ["serve", var first, ..] && first.StartsWith("--", StringComparison.Ordinal))
                {
                    var arguments = command.Select(a => a == ReadmeWebhook ? _receiver.Url.AbsoluteUri : a).ToArray();
                    secret = arguments[Array.IndexOf(arguments, "--webhook-secret") + 1];
                    serve = await ServeProcess.StartAsync(_temp.Path, environment, arguments);
                }
                else if (command is ["serve", "status", ..])
                {
                    await WaitForCompletedAsync(environment, command);
                }
                else
                {
                    var run = await CliProcess.RunInAsync(_temp.Path, environment, [.. command]);
                    Assert.True(run.ExitCode == 0, $"`./landslide {string.Join(' ', command)}` exited {run.ExitCode}: {run.Stderr}");
                }
            }

            await _receiver.WaitForDeliveriesAsync(1, TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(2)); // room for a duplicate to show up, if there were one
            Assert.NotNull(serve);
            // Ctrl+C: System.CommandLine ends the process with 130 (128 + SIGINT), as shells expect; a crash would be 1 or 134.
            Assert.Equal(130, await serve.StopAsync());
        }
        finally
        {
            if (serve is not null)
            {
                await serve.DisposeAsync();
            }
        }

        var results = commands.Single(c => c.Take(2).SequenceEqual(["serve", "results"]));
        var folder = Path.Combine(_temp.Path, results[Array.IndexOf(results, "--out") + 1]);
        foreach (var file in new[] { "mask.tif", "probability.tif", "landslides.geojson", "quicklook.png", "run.json", "item.json" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} was not downloaded");
        }

        var alert = Assert.Single(_receiver.Delivered);
        Assert.True(AlertSignature.Verify(alert.Body, secret!, alert.Headers[AlertSignature.SignatureHeader]), "the alert's signature does not verify");
        using var body = JsonDocument.Parse(alert.Body);
        Assert.Equal("scene", body.RootElement.GetProperty("scene").GetString());
        Assert.True(body.RootElement.GetProperty("count").GetInt32() > 0);
    }

    [Fact]
    public async Task ReadmeCommonOptionsExample_RunsAsWritten_AndPrintsJsonOnStdout()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("### Two programs, one set of common options", StringComparison.Ordinal)..];
        var block = section[(section.IndexOf("```bash", StringComparison.Ordinal) + 7)..];
        var commands = block[..block.IndexOf("```", StringComparison.Ordinal)].Trim().Split("&&", StringSplitOptions.TrimEntries);
        Assert.Equal(2, commands.Length);

        foreach (var command in commands)
        {
            Assert.StartsWith("./landslide ", command, StringComparison.Ordinal);
            var arguments = command["./landslide ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var run = await CliProcess.RunInAsync(_temp.Path, null, arguments);
            Assert.True(run.ExitCode == 0, $"`{command}` exited {run.ExitCode}: {run.Stderr}");
            using var json = JsonDocument.Parse(run.Stdout);
            Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
            if (arguments.Contains("-q"))
            {
                Assert.DoesNotContain(" info: ", run.Stderr, StringComparison.Ordinal);
            }
        }

        Assert.True(File.Exists(Path.Combine(_temp.Path, "results", "sample", "mask.tif")), "the README's map -o folder holds no mask.tif");
    }

    private static string RepositoryRoot() =>
        typeof(AzuriteFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;

    private async Task WaitForCompletedAsync(Dictionary<string, string> environment, IReadOnlyList<string> command)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var status = await CliProcess.RunInAsync(_temp.Path, environment, [.. command]);
            if (status.ExitCode == 0 && JsonDocument.Parse(status.Stdout).RootElement.GetProperty("status").GetString() is { } state)
            {
                Assert.True(state is not ("rejected" or "failed"), status.Stdout);
                if (state == "completed")
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"not completed: {status.Stdout}{status.Stderr}");
            await Task.Delay(2000);
        }
    }

    /// <summary>The `./landslide ...` lines of the first bash block of README's "Run the pipeline locally", split into arguments.</summary>
    private static List<string[]> ReadmeCommands()
    {
        var root = typeof(AzuriteFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var section = readme[readme.IndexOf("## Run the pipeline locally", StringComparison.Ordinal)..];
        var block = section[(section.IndexOf("```bash", StringComparison.Ordinal) + 7)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];
        return [.. block.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("./landslide ", StringComparison.Ordinal))
            .Select(l => l["./landslide ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))];
    }
}
