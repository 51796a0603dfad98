using Landslide.Inference.Client;
using Landslide.Pipeline.Segmenters;
using Landslide.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Hosting.Tests;

/// <summary>serve's host uses the Functions app's wiring: --inference-url is InferenceClient:BaseAddress, no typed HttpClient in a singleton.</summary>
public sealed class LocalPipelineHostWiringTests
{
    [Fact]
    public void InferenceUrl_IsTheFunctionsAppsInferenceClientSetting()
    {
        IServiceCollection? collection = null;
        var settings = new ServeSettings { InferenceUrl = new Uri("http://127.0.0.1:9/"), InferenceApiKey = "serve-key" };
        using var host = LocalPipelineHost.CreateBuilder(settings).ConfigureServices(s => collection = s).Build();

        Assert.Empty(HttpClientCaptures.Find(collection!));
        Assert.IsType<RefreshingSegmenterSource>(host.Services.GetRequiredService<ISegmenterSource>());
        var client = host.Services.GetRequiredService<IOptions<InferenceClientOptions>>().Value;
        Assert.Equal((new Uri("http://127.0.0.1:9/"), "serve-key"), (client.BaseAddress, client.ApiKey));
    }

    [Fact]
    public void WithoutInferenceUrl_ServeFollowsTheModelInItsStorage()
    {
        using var host = LocalPipelineHost.CreateBuilder(new ServeSettings()).Build();

        Assert.IsType<StorageModelSource>(host.Services.GetRequiredService<ISegmenterSource>());
    }
}
