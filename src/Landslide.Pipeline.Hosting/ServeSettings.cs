namespace Landslide.Pipeline.Hosting;

/// <summary>What `landslide serve` was asked for.</summary>
public sealed record ServeSettings
{
    /// <summary>Storage connection string; the default is the local Azurite emulator.</summary>
    public string Storage { get; init; } = "UseDevelopmentStorage=true";

    /// <summary>Start Azurite (node_modules/.bin/azurite or azurite on PATH) when nothing listens on its blob port.</summary>
    public bool StartAzurite { get; init; }

    /// <summary>Start Azurite with --debug (a log that grows by megabytes a minute): only to chase an emulator problem.</summary>
    public bool AzuriteDebug { get; init; }

    /// <summary>How often the stall sweeper looks for chunks and finalizes whose worker stopped (see StallSweeper). Default 15 s.</summary>
    public TimeSpan StallSweepInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Folder Azurite keeps its data in when this host starts it.</summary>
    public string AzuriteLocation { get; init; } = Path.Combine(Path.GetTempPath(), "landslide-azurite");

    /// <summary>Segment through this inference service instead of a local ONNX model.</summary>
    public Uri? InferenceUrl { get; init; }

    /// <summary>X-Api-Key of the inference service.</summary>
    public string? InferenceApiKey { get; init; }

    /// <summary>Local ONNX model (with manifest.json beside it); null uses the embedded model.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Without <see cref="ModelPath"/>: how often models/current.json is checked for a newly promoted model. Default 10 s.</summary>
    public TimeSpan ModelPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often scenes/ is listed for blobs the blob trigger missed (see LocalSceneSweeper). Default 5 s.</summary>
    public TimeSpan SceneSweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Runs the retrain check this often; null leaves the schedule off.</summary>
    public TimeSpan? RetrainInterval { get; init; }

    /// <summary>Extra configuration (Pipeline:*, Alerts:Webhooks:0:Url, Training:Command, ...), as the Functions app's settings.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();
}
