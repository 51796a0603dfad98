using Landslide.Pipeline.Retrain;
using Landslide.Pipeline.Segmenters;
using Landslide.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Landslide.Functions.Tests;

/// <summary>The Functions app's services: the shared host wiring plus its own parts, with no typed HttpClient held by a singleton.</summary>
public sealed class FunctionsServicesTests
{
    [Fact]
    public void Services_HoldNoTypedHttpClient_AndSegmentThroughTheInferenceService()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage"] = "UseDevelopmentStorage=true",
            ["InferenceClient:BaseAddress"] = "http://127.0.0.1:9/",
            ["Training:JobResourceId"] = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.App/jobs/caj-test-training",
        }).Build();
        var collection = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        FunctionsServices.Add(collection, configuration);
        using var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Empty(HttpClientCaptures.Find(collection));
        Assert.IsType<ArmTrainingJobStarter>(services.GetRequiredService<ITrainingJobStarter>());
        Assert.Same(services.GetRequiredService<ITrainingJobStarter>(), services.GetRequiredService<ITrainingJobStarter>());
        Assert.IsType<RefreshingSegmenterSource>(services.GetRequiredService<ISegmenterSource>());
    }
}
