using System.ComponentModel.DataAnnotations;
using Landslide.Core.Segmentation;

namespace Landslide.InferenceServer;

/// <summary>Settings of the inference service, bound from configuration section "InferenceServer".</summary>
public sealed class InferenceServerOptions
{
    public const string SectionName = "InferenceServer";

    /// <summary>
    /// Folder holding current.json and one sub-folder per model version (models/{version}/) with the Folder source;
    /// the local download cache with the Blob source.
    /// </summary>
    public string? ModelsRoot { get; set; }

    /// <summary>Where models come from: Folder (ModelsRoot) or Blob (container "models", see <see cref="Blob"/>). Default Folder.</summary>
    public ModelSourceKind ModelSource { get; set; } = ModelSourceKind.Folder;

    /// <summary>The blob registry read when <see cref="ModelSource"/> is Blob (section InferenceServer:Blob).</summary>
    public BlobModelSourceOptions Blob { get; set; } = new();

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

    /// <summary>App roles (the token's "roles" claim) any of which admits a caller in EntraId mode.</summary>
    public IList<string> EntraRequiredRoles { get; } = [];

    /// <summary>Delegated scopes (the token's "scp" claim) any of which admits a caller in EntraId mode.</summary>
    public IList<string> EntraRequiredScopes { get; } = [];

    /// <summary>
    /// Bytes all requests together may hold in buffers (features and probabilities); a request that would exceed it
    /// is answered 503 before any buffer is rented. Default 1 GiB; at least one maximal request.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxBufferedBytes { get; set; } = 1L << 30;

    /// <summary>Open connections Kestrel accepts. Default 256.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentConnections { get; set; } = 256;

    /// <summary>Slowest acceptable upload, bytes per second after a 5 s grace; slower bodies are cut off. Default 65536.</summary>
    [Range(1, int.MaxValue)]
    public int MinRequestBodyBytesPerSecond { get; set; } = 64 * 1024;

    /// <summary>Time a client has to send its request headers. Default 10 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest feature magnitude accepted; beyond it the request is 422 values-out-of-range (real features are
    /// small: bands in Landslide4Sense scale and indices in [-1, 1]). Default 1e6.
    /// </summary>
    [Range(1f, float.MaxValue)]
    public float MaxAbsFeatureValue { get; set; } = 1e6f;

    /// <summary>Ask ONNX Runtime for CUDA (falls back to CPU when CUDA is absent). Default true.</summary>
    public bool PreferCuda { get; set; } = true;

    /// <summary>Bytes of the largest acceptable body: MaxTilesPerRequest float32 tiles.</summary>
    public long MaxRequestBytes => (long)MaxTilesPerRequest * ModelContract.FeatureValuesPerTile * sizeof(float);

    /// <summary>Shortest API key accepted at start: 32 characters (about 190 bits as base64).</summary>
    public const int MinApiKeyLength = 32;
}
