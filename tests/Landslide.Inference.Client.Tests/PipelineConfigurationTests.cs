using System.Threading.RateLimiting;
using Landslide.Inference.Client.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Registry;
using Polly.Retry;
using Polly.Testing;

namespace Landslide.Inference.Client.Tests;

public sealed class PipelineConfigurationTests
{
    [Fact]
    public void Pipeline_HasLimiterTotalTimeoutRetryBreakerAttemptTimeout_InThatOrder()
    {
        using var services = ClientFactory.Services(new Uri("http://127.0.0.1:1/"), o =>
        {
            o.MaxConcurrentRequests = 3;
            o.MaxQueuedRequests = 30;
            o.TotalTimeout = TimeSpan.FromMinutes(2);
            o.AttemptTimeout = TimeSpan.FromSeconds(20);
            o.MaxRetryAttempts = 4;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(250);
            o.RetryMaxDelay = TimeSpan.FromSeconds(10);
            o.CircuitBreakerFailureRatio = 0.4;
            o.CircuitBreakerMinimumThroughput = 12;
            o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(7);
        });

        var pipeline = services.GetRequiredService<ResiliencePipelineProvider<string>>()
            .GetPipeline<HttpResponseMessage>(InferenceClientServiceCollectionExtensions.PipelineName);
        var strategies = pipeline.GetPipelineDescriptor().Strategies;

        Assert.Collection(
            strategies,
            s =>
            {
                var limiter = Assert.IsType<HttpRateLimiterStrategyOptions>(s.Options);
                Assert.Equal(3, limiter.DefaultRateLimiterOptions.PermitLimit);
                Assert.Equal(30, limiter.DefaultRateLimiterOptions.QueueLimit);
                Assert.Equal(QueueProcessingOrder.OldestFirst, limiter.DefaultRateLimiterOptions.QueueProcessingOrder);
            },
            s => Assert.Equal(TimeSpan.FromMinutes(2), Assert.IsType<HttpTimeoutStrategyOptions>(s.Options).Timeout),
            s =>
            {
                var retry = Assert.IsType<HttpRetryStrategyOptions>(s.Options);
                Assert.Equal(4, retry.MaxRetryAttempts);
                Assert.Equal(DelayBackoffType.Exponential, retry.BackoffType);
                Assert.True(retry.UseJitter);
                Assert.True(retry.ShouldRetryAfterHeader);
                Assert.Equal(TimeSpan.FromMilliseconds(250), retry.Delay);
                Assert.Equal(TimeSpan.FromSeconds(10), retry.MaxDelay);
            },
            s =>
            {
                var breaker = Assert.IsType<HttpCircuitBreakerStrategyOptions>(s.Options);
                Assert.Equal(0.4, breaker.FailureRatio);
                Assert.Equal(12, breaker.MinimumThroughput);
                Assert.Equal(TimeSpan.FromSeconds(7), breaker.BreakDuration);
            },
            s => Assert.Equal(TimeSpan.FromSeconds(20), Assert.IsType<HttpTimeoutStrategyOptions>(s.Options).Timeout));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task Retry_HandlesTransientStatuses(int status)
    {
        var retry = RetryOptions();
        using var response = new HttpResponseMessage((System.Net.HttpStatusCode)status);

        var handled = await retry.ShouldHandle(new RetryPredicateArguments<HttpResponseMessage>(
            ResilienceContextPool.Shared.Get(), Outcome.FromResult(response), 0));

        Assert.True(handled);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(413)]
    [InlineData(422)]
    public async Task Retry_LeavesClientErrorsAlone(int status)
    {
        var retry = RetryOptions();
        using var response = new HttpResponseMessage((System.Net.HttpStatusCode)status);

        var handled = await retry.ShouldHandle(new RetryPredicateArguments<HttpResponseMessage>(
            ResilienceContextPool.Shared.Get(), Outcome.FromResult(response), 0));

        Assert.False(handled);
    }

    [Fact]
    public void Options_AreValidatedAtStart()
    {
        using var services = ClientFactory.Services(new Uri("http://127.0.0.1:1/"), o => o.MaxTilesPerRequest = 0);

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<InferenceClient>());
        Assert.Contains(nameof(InferenceClientOptions.MaxTilesPerRequest), error.Message, StringComparison.Ordinal);
    }

    private static HttpRetryStrategyOptions RetryOptions()
    {
        using var services = ClientFactory.Services(new Uri("http://127.0.0.1:1/"));
        var pipeline = services.GetRequiredService<ResiliencePipelineProvider<string>>()
            .GetPipeline<HttpResponseMessage>(InferenceClientServiceCollectionExtensions.PipelineName);
        return pipeline.GetPipelineDescriptor().Strategies.Select(s => s.Options).OfType<HttpRetryStrategyOptions>().Single();
    }
}
