using Landslide.Pipeline.Hosting;
using Landslide.TestSupport;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Hosting.Tests;

/// <summary>serve's settings: command line over environment over the settings file over the defaults.</summary>
public sealed class ServeConfigurationTests : IDisposable
{
    private readonly TempDirectory _temp = new("serve-config");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CommandLine_OverridesEnvironment_OverridesFile_OverridesDefaults()
    {
        var file = _temp.File("serve.json");
        File.WriteAllText(file, """
            { "Serve": { "Storage": "from-file", "InferenceUrl": "http://file:1/", "RetrainEvery": "02:00:00" },
              "Pipeline": { "ChunkSize": 512, "BandProfile": "s2-l2a-dn", "Overlap": 16 },
              "Alerts": { "Webhooks": [ { "Url": "http://file/hook", "Secret": "file-0" }, { "Url": "http://file/two", "Secret": "file-1" } ] } }
            """);
        var environment = new Dictionary<string, string?>
        {
            ["LANDSLIDE_Serve__Storage"] = "from-env",
            ["LANDSLIDE_Pipeline__ChunkSize"] = "1024",
            ["LANDSLIDE_Alerts__Webhooks__1__Secret"] = "env-1",
            ["OTHER_Pipeline__Overlap"] = "8", // not our prefix
        };
        var commandLine = new Dictionary<string, string?> { [ServeConfiguration.StorageKey] = "from-cli", ["Pipeline:BandProfile"] = "l4s" };

        var settings = ServeConfiguration.ToSettings(
            ServeConfiguration.Build(file, commandLine, ["http://cli/0", "http://cli/1"], ["cli-0"], environment));

        Assert.Equal("from-cli", settings.Storage);
        Assert.Equal(new Uri("http://file:1/"), settings.InferenceUrl);
        Assert.Equal(TimeSpan.FromHours(2), settings.RetrainInterval);
        Assert.Equal("1024", settings.Configuration["Pipeline:ChunkSize"]);
        Assert.Equal("l4s", settings.Configuration["Pipeline:BandProfile"]);
        Assert.Equal("16", settings.Configuration["Pipeline:Overlap"]);
        Assert.Equal("http://cli/0", settings.Configuration["Alerts:Webhooks:0:Url"]);
        Assert.Equal("cli-0", settings.Configuration["Alerts:Webhooks:0:Secret"]);
        Assert.Equal("http://cli/1", settings.Configuration["Alerts:Webhooks:1:Url"]);
        Assert.Equal("env-1", settings.Configuration["Alerts:Webhooks:1:Secret"]);
        Assert.DoesNotContain(settings.Configuration.Keys, k => k.StartsWith("Serve:", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void NothingGiven_IsTheLocalEmulator_WithNoWebhook()
    {
        var settings = ServeConfiguration.ToSettings(ServeConfiguration.Build(null, new Dictionary<string, string?>(), [], [], new Dictionary<string, string?>()));

        Assert.Equal("UseDevelopmentStorage=true", settings.Storage);
        Assert.True(LocalPipelineHost.IsLocalEmulator(settings.Storage));
        Assert.Null(settings.InferenceUrl);
        Assert.False(settings.StartAzurite);
        Assert.DoesNotContain(settings.Configuration.Keys, k => k.StartsWith("Alerts:Webhooks", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Azurite_StartsWithoutDebugLog_UnlessAsked()
    {
        var quiet = AzuriteProcess.Arguments("/data", debug: false);
        var debug = AzuriteProcess.Arguments("/data", debug: true);

        Assert.DoesNotContain("--debug", quiet);
        Assert.Contains("--debug", debug);
        Assert.True(ServeConfiguration.ToSettings(ServeConfiguration.Build(
            null, new Dictionary<string, string?> { [ServeConfiguration.AzuriteDebugKey] = "true" }, [], [], new Dictionary<string, string?>())).AzuriteDebug);
    }

    [Theory]
    [InlineData("{ \"Serve\": { \"InferenceUrl\": \"localhost:5000\" } }", "not an absolute http(s) URL")]
    [InlineData("{ \"Serve\": { \"RetrainEvery\": \"hourly\" } }", "not a positive interval")]
    [InlineData("{ \"Serve\": ", "not valid JSON")]
    public void BadSettingsFile_IsRefused_NamingTheValue(string json, string expected)
    {
        var file = _temp.File($"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);

        var error = Assert.Throws<OptionsValidationException>(() =>
            ServeConfiguration.ToSettings(ServeConfiguration.Build(file, new Dictionary<string, string?>(), [], [], new Dictionary<string, string?>())));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
