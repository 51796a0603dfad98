using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Landslide.Inference.Client;

/// <summary>
/// The resilience pipeline around every request to the inference service, outermost first:
/// concurrency limiter, total timeout, retry (jittered exponential backoff, honours Retry-After),
/// circuit breaker, attempt timeout. The same order as the standard HTTP resilience handler.
/// </summary>
internal static class InferencePipeline
{
    /// <summary>Key of the pipeline in Polly's registry (ResiliencePipelineProvider&lt;string&gt;).</summary>
    public const string Name = "landslide-inference";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, InferenceClientOptions options)
    {
        builder
            .AddRateLimiter(new HttpRateLimiterStrategyOptions
            {
                Name = "concurrency",
                DefaultRateLimiterOptions = new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.MaxConcurrentRequests,
                    QueueLimit = options.MaxQueuedRequests,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                },
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "total-timeout", Timeout = options.TotalTimeout })
            .AddRetry(new HttpRetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldRetryAfterHeader = true,
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                Name = "circuit-breaker",
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
    }
}
