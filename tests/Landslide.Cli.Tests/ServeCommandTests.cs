using System.Text.Json;
using Landslide.Pipeline.Alerts;
using Landslide.TestSupport;

namespace Landslide.Cli.Tests;

/// <summary>`landslide serve`, `serve drop`, `serve status` and `serve results` as separate real processes on Azurite.</summary>
public sealed class ServeCommandTests : IAsyncLifetime
{
    private const int Red = 3;
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("serve-cli");
    private readonly WebhookReceiver _first = new();
    private readonly WebhookReceiver _second = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        _first.Dispose();
        _second.Dispose();
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Serve_OptionsFromCommandLineEnvironmentAndFile_EachWebhookGetsItsSignedAlert_AndProfilesAreChecked()
    {
        var model = _temp.File("model.onnx");
        await File.WriteAllBytesAsync(model, TinyOnnxModels.Passthrough(Red));
        var settingsFile = _temp.File("serve.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new
        {
            Serve = new { Storage = "UseDevelopmentStorage=true" }, // overridden by the environment below
            Pipeline = new { ChunkSize = 128, Threshold = 0.5, TempDirectory = _temp.Path },
            Alerts = new { Webhooks = new[] { new { Url = "http://127.0.0.1:9/never", Secret = "from-the-file" } } },
        }));
        var environment = new Dictionary<string, string>
        {
            ["LANDSLIDE_Serve__Storage"] = _azurite.ConnectionString,
            ["LANDSLIDE_Alerts__Webhooks__1__Secret"] = "second-secret", // the second --webhook's secret stays off the command line
        };
        var good = new SceneBuilder { Width = 300, Height = 260 }.Write(_temp.File("good.tif"), (b, x, y) =>
            b != Red ? 1f : x is >= 100 and < 140 && y is >= 80 and < 120 ? 0.9f : 0.1f);
        var digitalNumbers = new SceneBuilder { Width = 200, Height = 200, NoData = 0 }.Write(_temp.File("dn.tif"), (b, x, y) => 1200f + x);
        File.Copy(digitalNumbers, _temp.File("dn-tagged.tif"));

        await using var serve = await ServeProcess.StartAsync(_temp.Path, environment,
        [
            "serve", "--settings", settingsFile, "--model", model, "--profile", "l4s", "--start-azurite",
            "--webhook", _first.Url.AbsoluteUri, "--webhook-secret", "first-secret", "--webhook", _second.Url.AbsoluteUri,
        ]);
        string[][] drops = [["good.tif"], ["dn.tif"], ["dn-tagged.tif", "--profile", "s2-l2a-dn"]];
        foreach (var drop in drops)
        {
            var dropped = await CliProcess.RunInAsync(_temp.Path, environment, ["serve", "drop", .. drop]);
            Assert.True(dropped.ExitCode == 0, dropped.Stderr);
        }

        var goodStatus = await FinalStatusAsync(environment, "good");
        var dnStatus = await FinalStatusAsync(environment, "dn");
        var taggedStatus = await FinalStatusAsync(environment, "dn-tagged");
        await _first.WaitForDeliveriesAsync(2, TimeSpan.FromSeconds(60));
        await _second.WaitForDeliveriesAsync(2, TimeSpan.FromSeconds(60));
        var results = await CliProcess.RunInAsync(_temp.Path, environment, "serve", "results", "good", "--out", _temp.File("downloaded"));
        // Ctrl+C: System.CommandLine ends the process with 130 (128 + SIGINT), as shells expect; a crash would be 1 or 134.
        Assert.Equal(130, await serve.StopAsync());

        Assert.Equal("completed", goodStatus.GetProperty("status").GetString());
        Assert.Equal("rejected", dnStatus.GetProperty("status").GetString());
        Assert.StartsWith("ProfileMismatch", dnStatus.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", taggedStatus.GetProperty("status").GetString());
        Assert.Equal("s2-l2a-dn", taggedStatus.GetProperty("profile").GetString());
        foreach (var (receiver, secret) in new[] { (_first, "first-secret"), (_second, "second-secret") })
        {
            Assert.Equal(["dn-tagged", "good"], receiver.Delivered.Select(d => JsonDocument.Parse(d.Body).RootElement.GetProperty("scene").GetString()).Order());
            Assert.All(receiver.Delivered, d => Assert.True(AlertSignature.Verify(d.Body, secret, d.Headers[AlertSignature.SignatureHeader]), "signature"));
        }

        Assert.True(results.ExitCode == 0, results.Stderr);
        foreach (var file in new[] { "mask.tif", "probability.tif", "landslides.geojson", "quicklook.png", "run.json", "item.json" })
        {
            Assert.True(File.Exists(_temp.File($"downloaded/{file}")), $"serve results did not download {file}");
        }

        // The links are read-only SAS URLs that answer locally, in the status and in the alert.
        using var http = new HttpClient();
        var maskLink = goodStatus.GetProperty("links").GetProperty("mask.tif").GetString()!;
        Assert.Equal(await File.ReadAllBytesAsync(_temp.File("downloaded/mask.tif")), await http.GetByteArrayAsync(new Uri(maskLink)));
        var alert = JsonDocument.Parse(_first.Delivered.First(d => JsonDocument.Parse(d.Body).RootElement.GetProperty("scene").GetString() == "good").Body).RootElement;
        Assert.Equal(
            await File.ReadAllBytesAsync(_temp.File("downloaded/landslides.geojson")),
            await http.GetByteArrayAsync(new Uri(alert.GetProperty("polygons_url").GetString()!)));
        var put = await http.PutAsync(new Uri(maskLink), new ByteArrayContent([1, 2, 3]));
        Assert.False(put.IsSuccessStatusCode, "a status link must be read-only");
    }

    [Fact]
    public async Task Serve_StorageUnreachable_FailsFast_WithOneLineNamingTheFix()
    {
        var unreachable = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.AccountKey};"
            + $"BlobEndpoint=http://127.0.0.1:{AzuriteFixture.FreePort()}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

        var serve = await CliProcess.RunAsync("serve", "--storage", unreachable);
        var status = await CliProcess.RunInAsync(null, new Dictionary<string, string> { ["LANDSLIDE_Serve__Storage"] = unreachable }, "serve", "status", "scene");

        foreach (var run in new[] { serve, status })
        {
            Assert.Equal(1, run.ExitCode);
            var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("unreachable", line, StringComparison.Ordinal);
            Assert.Contains("--start-azurite", line, StringComparison.Ordinal);
            Assert.DoesNotContain(AzuriteFixture.AccountKey, line, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--inference-url=not-a-url", "--inference-url 'not-a-url' is not an absolute http(s) URL")]
    [InlineData("--webhook-secret=orphan", "each secret pairs with the --webhook")]
    [InlineData("--webhook=ftp://example.org/hook", "is not an absolute http(s) URL")]
    [InlineData("--profile=landsat", "Pipeline:BandProfile 'landsat'")]
    public async Task Serve_BadOption_Exits2_NamingIt(string bad, string expected)
    {
        var environment = new Dictionary<string, string> { ["LANDSLIDE_Serve__Storage"] = _azurite.ConnectionString };
        string[] extra = bad.Split('=', 2);
        if (bad.StartsWith("--webhook=", StringComparison.Ordinal))
        {
            extra = [.. extra, "--webhook-secret", "s"];
        }

        var serve = await CliProcess.RunInAsync(_temp.Path, environment, ["serve", .. extra]);

        Assert.Equal(2, serve.ExitCode);
        Assert.Contains(expected, serve.Stderr, StringComparison.Ordinal);
    }

    private async Task<JsonElement> FinalStatusAsync(Dictionary<string, string> environment, string scene)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var status = await CliProcess.RunInAsync(_temp.Path, environment, "serve", "status", scene);
            if (status.ExitCode == 0)
            {
                var view = JsonDocument.Parse(status.Stdout).RootElement.Clone();
                if (view.GetProperty("status").GetString() is "completed" or "rejected" or "failed")
                {
                    return view;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"scene {scene} not final: {status.Stdout}{status.Stderr}");
            await Task.Delay(1000);
        }
    }
}
