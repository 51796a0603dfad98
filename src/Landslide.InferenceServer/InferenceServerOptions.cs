using System.ComponentModel.DataAnnotations;
using Landslide.Core.Segmentation;

namespace Landslide.InferenceServer;

/// <summary>Settings of the inference service, bound from configuration section "InferenceServer".</summary>
public sealed class InferenceServerOptions
{
    public const string SectionName = "InferenceServer";

    /// <summary>Folder holding current.json and one sub-folder per model version (models/{version}/).</summary>
    [Required]
    public string? ModelsRoot { get; set; }

    /// <summary>How often current.json is checked for a new model. Default 5 s.</summary>
    public TimeSpan ModelPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tiles one request may carry (N of [N,23,128,128]). Default 64.</summary>
    [Range(1, 1024)]
    public int MaxTilesPerRequest { get; set; } = 64;

    /// <summary>Tiles merged into one model call from concurrent requests. Default 16.</summary>
    [Range(1, 1024)]
    public int MaxBatchTiles { get; set; } = 16;

    /// <summary>How long the first request of a batch waits for company. Default 5 ms.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Requests waiting for a batch; beyond it the service answers 429. Default 64.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 64;

    /// <summary>Seconds sent in Retry-After with 429 and 503. Default 1.</summary>
    [Range(0, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>ApiKey (X-Api-Key header) or EntraId (JWT bearer). Default ApiKey.</summary>
    public AuthMode AuthMode { get; set; } = AuthMode.ApiKey;

    /// <summary>Accepted API keys (from a secret store or environment, never the repo). Required in ApiKey mode.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Entra ID authority, e.g. https://login.microsoftonline.com/{tenant}/v2.0. Required in EntraId mode.</summary>
    public string? EntraAuthority { get; set; }

    /// <summary>Expected token audience (the app ID URI). Required in EntraId mode.</summary>
    public string? EntraAudience { get; set; }

    /// <summary>Ask ONNX Runtime for CUDA (falls back to CPU when CUDA is absent). Default true.</summary>
    public bool PreferCuda { get; set; } = true;

    /// <summary>Bytes of the largest acceptable body: MaxTilesPerRequest float32 tiles.</summary>
    public long MaxRequestBytes => (long)MaxTilesPerRequest * ModelContract.FeatureValuesPerTile * sizeof(float);
}
