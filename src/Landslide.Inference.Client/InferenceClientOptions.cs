using System.ComponentModel.DataAnnotations;

namespace Landslide.Inference.Client;

/// <summary>Settings of the remote segmenter. Bound from configuration section "InferenceClient" by hosts.</summary>
public sealed class InferenceClientOptions
{
    public const string SectionName = "InferenceClient";

    /// <summary>Root address of the inference service, e.g. http://inference:8080/.</summary>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>Value sent in X-Api-Key. Leave null when <see cref="AccessTokenProvider"/> supplies an Entra token.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Supplies an Entra ID bearer token per request (e.g. from Azure.Identity); null for API-key mode.</summary>
    public Func<CancellationToken, ValueTask<string>>? AccessTokenProvider { get; set; }

    /// <summary>Tiles per HTTP request; larger calls are split. Keep it at or below the server's limit. Default 16.</summary>
    [Range(1, 1024)]
    public int MaxTilesPerRequest { get; set; } = 16;

    /// <summary>Send features as float16 (half the bytes of float32). Default true.</summary>
    public bool SendFloat16 { get; set; } = true;

    /// <summary>Ask for float32 probabilities instead of uint8 0-255 (4x the bytes, no quantisation). Default false.</summary>
    public bool ReceiveFloat32 { get; set; }

    /// <summary>Requests in flight at once from this process (the concurrency limiter). Default 4.</summary>
    [Range(1, 256)]
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>Requests allowed to wait for a concurrency slot before being refused. Default 256.</summary>
    [Range(0, 100_000)]
    public int MaxQueuedRequests { get; set; } = 256;

    /// <summary>One attempt, body download included; sized for a GPU batch plus queueing. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>All attempts of one request, retry delays included. Default 3 min.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Retries after the first attempt on 408/429/5xx, timeouts and connection failures. Default 5.</summary>
    [Range(0, 50)]
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>First backoff delay (exponential, jittered); a Retry-After header overrides it. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap on any single backoff delay. Default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failure ratio over the sampling window that opens the circuit. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed in the window before the breaker may open. Default 20.</summary>
    [Range(2, 100_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Window over which the failure ratio is measured. Default 60 s.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the circuit stays open before a trial request. Default 15 s.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
