namespace Landslide.Infrastructure.Tests;

/// <summary>The code-scanning direction of the settings test, on a small Functions host written here.</summary>
public sealed class AppSettingsScannerTests
{
    private const string Host = """
        using Microsoft.Azure.Functions.Worker;
        public sealed class Functions
        {
            [Function("SceneArrived")]
            public Task SceneArrived([BlobTrigger("scenes/{name}", Source = BlobTriggerSource.EventGrid, Connection = "Storage")] object blob) => Task.CompletedTask;

            [Function("RetrainSchedule")]
            public Task Retrain([TimerTrigger("%RETRAIN_SCHEDULE%")] object timer) => Task.CompletedTask;
        }
        public static class Startup
        {
            public static void Add(IServiceCollection services, IConfiguration configuration)
            {
                services.AddOptions<PipelineOptions>().BindConfiguration("Pipeline").ValidateOnStart();
                services.AddOptions<ClientOptions>().BindConfiguration(ClientOptions.SectionName);
                services.Configure<AlertOptions>(configuration.GetSection("Alerts"));
                var x = configuration["Direct:Name"];
            }
        }
        """;

    private const string Library = """
        public sealed class PipelineOptions
        {
            [Range(256, 8192)] public int ChunkSize { get; init; } = 2048;
            [Required] public string? Threshold { get; set; }
            public int Computed => ChunkSize * 2;
            public static int Ignored { get; set; }
        }
        public sealed class ClientOptions
        {
            public const string SectionName = "InferenceClient";
            [Required] public Uri? BaseAddress { get; set; }
            public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }
        }
        public sealed class AlertOptions
        {
            public IList<WebhookOptions> Webhooks { get; } = [];
        }
        public sealed class WebhookOptions
        {
            [Required] public Uri? Url { get; set; }
            public string? Secret { get; set; }
        }
        """;

    [Fact]
    public void Scan_FindsOptionsConnectionsAndPercentSettings()
    {
        var settings = AppSettingsScanner.Scan([Host], [Host, Library]);

        Assert.Equal(
            ["Alerts__Webhooks__0__Secret", "Alerts__Webhooks__0__Url", "InferenceClient__BaseAddress", "Pipeline__ChunkSize", "Pipeline__Threshold"],
            settings.Readable.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["Alerts__Webhooks__0__Url", "Direct__Name", "InferenceClient__BaseAddress", "Pipeline__Threshold", "RETRAIN_SCHEDULE"],
            settings.Required.Order(StringComparer.Ordinal));
        Assert.Equal(["Storage"], settings.Connections);
    }

    [Fact]
    public void Scan_FindsConstKeysReadFromConfiguration_AsServeReadsThem()
    {
        const string serve = """
            public static class ServeConfiguration
            {
                public const string StorageKey = "Serve:Storage";
                public const string FlagKey = "Serve:StartAzurite";
                public const string NotAKey = "Serve:Unused";
                public static string? Storage(IConfiguration configuration) => configuration[StorageKey];
                public static bool Start(IConfiguration configuration) => Flag(configuration, FlagKey);
                private static bool Flag(IConfiguration configuration, string key) => configuration[key] is { Length: > 0 };
            }
            """;

        var settings = AppSettingsScanner.Scan([serve], [serve]);

        Assert.Equal(["Serve__StartAzurite", "Serve__Storage"], settings.Readable.Order(StringComparer.Ordinal));
        Assert.Empty(settings.Required);
    }

    [Fact]
    public void Unused_FindsBoundPropertiesReadOnlyInsideTheirOptionsClass()
    {
        const string options = """
            public sealed class PipelineOptions
            {
                public int ChunkSize { get; set; } = 2048;
                public int Halo { get; set; } = 64;
                public int MaxDequeueCount { get; internal set; } = 5;
                public int TileRows(int stride) => ChunkSize / stride;
                public IEnumerable<string> Validate() { if (Halo > 96) yield return nameof(Halo); }
            }
            """;
        const string host = """
            public static class Startup
            {
                public static void Add(IServiceCollection services) => services.AddOptions<PipelineOptions>().BindConfiguration("Pipeline");
                public static int Rows(IOptions<PipelineOptions> o) => o.Value.TileRows(96);
                public static PipelineOptions Make() => new PipelineOptions { Halo = 32 };
            }
            """;
        var settings = AppSettingsScanner.Scan([host], [host, options]);

        Assert.Equal(["Pipeline__ChunkSize", "Pipeline__Halo"], settings.Readable.Order(StringComparer.Ordinal));
        Assert.Equal(["Pipeline__Halo"], AppSettingsScanner.Unused(settings, [host, options]));
    }

    [Theory]
    [InlineData("Storage__blobServiceUri", true)]
    [InlineData("Alerts__Webhooks__3__Url", true)]
    [InlineData("Pipeline__ChunkSize", true)]
    [InlineData("Pipeline__Computed", false)]
    [InlineData("Pipeline__Ignored", false)]
    [InlineData("InferenceClient__TokenProvider", false)]
    [InlineData("StorageAccount", false)]
    [InlineData("Inference__Url", false)]
    public void Reads_MatchesWhatTheBinderWouldBind(string setting, bool expected)
    {
        var settings = AppSettingsScanner.Scan([Host], [Host, Library]);

        Assert.Equal(expected, settings.Reads(setting));
    }
}
