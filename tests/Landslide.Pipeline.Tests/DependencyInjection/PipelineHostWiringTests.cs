using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Landslide.Inference.Client;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.DependencyInjection;
using Landslide.Pipeline.Retrain;
using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Landslide.Raster;
using Landslide.TestSupport;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Landslide.Pipeline.Tests.DependencyInjection;

/// <summary>The host wiring the Functions app and `landslide serve` share, built from configuration as each host does.</summary>
[Collection(GdalCacheCollection.Name)]
public sealed class PipelineHostWiringTests
{
    private const string Azurite =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:2/devstoreaccount1;TableEndpoint=http://127.0.0.1:3/devstoreaccount1;";

    [Fact]
    public void ConnectionString_GivesTheFactorysClients()
    {
        using var services = Build(new() { ["Storage"] = Azurite, ["InferenceClient:BaseAddress"] = "http://127.0.0.1:9/" }, out _);

        var storage = services.GetRequiredService<PipelineStorage>();
        Assert.Same(services.GetRequiredService<BlobServiceClient>(), storage.Blobs);
        Assert.Same(services.GetRequiredService<IAzureClientFactory<QueueServiceClient>>().CreateClient("Default"), storage.Queues);
        Assert.Equal(new Uri("http://127.0.0.1:1/devstoreaccount1"), storage.Blobs.Uri);
    }

    [Fact]
    public async Task Queues_SendBase64_AsTheFunctionsHostExpects()
    {
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        using var services = Build(new() { ["Storage"] = azurite.ConnectionString }, out _);
        var queue = services.GetRequiredService<PipelineStorage>().Queue("wiring-test");
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("{\"run_id\":\"r\"}");

        var raw = new QueueClient(azurite.ConnectionString, "wiring-test");
        var received = (await raw.ReceiveMessageAsync()).Value;
        Assert.Equal("{\"run_id\":\"r\"}", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(received.Body.ToString())));
    }

    [Fact]
    public void ServiceUris_UseTheUserAssignedManagedIdentity()
    {
        using var services = Build(new()
        {
            ["Storage:blobServiceUri"] = "https://data.blob.core.windows.net/",
            ["Storage:queueServiceUri"] = "https://data.queue.core.windows.net/",
            ["Storage:tableServiceUri"] = "https://data.table.core.windows.net/",
            ["Storage:credential"] = "managedidentity",
            ["Storage:clientId"] = "00000000-0000-0000-0000-000000000001",
        }, out _);

        var storage = services.GetRequiredService<PipelineStorage>();
        Assert.Equal("data.blob.core.windows.net", storage.Blobs.Uri.Host);
        Assert.Equal("data.queue.core.windows.net", storage.Queues.Uri.Host);
        Assert.Equal("data.table.core.windows.net", storage.Tables.Uri.Host);
        Assert.IsType<ManagedIdentityCredential>(services.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public void MissingServiceUri_FailsAtWiring_NamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Storage:blobServiceUri"] = "https://data.blob.core.windows.net/" }, out _));

        Assert.Contains("Storage__queueServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InferenceAddress_MakesTheRemoteSegmenter_OneClientForTheProcess()
    {
        using var services = Build(new() { ["Storage"] = Azurite, ["InferenceClient:BaseAddress"] = "http://127.0.0.1:9/" }, out var collection, local: _ => throw new InvalidOperationException("local model used"));

        Assert.IsType<RefreshingSegmenterSource>(services.GetRequiredService<ISegmenterSource>());
        Assert.Same(services.GetRequiredService<InferenceClient>(), services.GetRequiredService<InferenceClient>());
        Assert.Same(services.GetRequiredService<AlertDispatcher>(), services.GetRequiredService<AlertDispatcher>());
        Assert.Empty(HttpClientCaptures.Find(collection));
    }

    [Fact]
    public void WithoutInferenceAddress_TheHostsLocalModelIsTheSegmenter()
    {
        var local = new LocalModel();
        using var services = Build(new() { ["Storage"] = Azurite }, out _, local: _ => local);

        Assert.Same(local, services.GetRequiredService<ISegmenterSource>());
    }

    [Fact]
    public void GdalBlockCache_ComesFromConfiguration_AndIsValidated()
    {
        var original = GdalSettings.BlockCacheBytes;
        try
        {
            using (Build(new() { ["Storage"] = Azurite, ["Gdal:BlockCacheMiB"] = "96" }, out _))
            {
                Assert.Equal(96L << 20, GdalSettings.BlockCacheBytes);
            }

            using (Build(new() { ["Storage"] = Azurite }, out _))
            {
                Assert.Equal(128L << 20, GdalSettings.BlockCacheBytes);
            }

            Assert.Throws<ValidationException>(() => Build(new() { ["Storage"] = Azurite, ["Gdal:BlockCacheMiB"] = "1" }, out _));
        }
        finally
        {
            GdalSettings.BlockCacheBytes = original;
        }
    }

    [Fact]
    public void HttpClientCaptures_NamesATypedClient()
    {
        var services = new ServiceCollection();
        services.AddHttpClient<TypedClient>();
        services.AddSingleton<Holder>();

        Assert.Equal([typeof(TypedClient).FullName!], HttpClientCaptures.Find(services));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, out IServiceCollection collection, Func<IServiceProvider, ISegmenterSource>? local = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        collection = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        collection.AddLandslidePipelineHost(configuration, local);
        collection.AddSingleton<ITrainingJobStarter, ProcessTrainingJobStarter>(); // what each host adds (serve's starter)
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Stands for a host's own model (serve's ONNX file): only its identity is checked.</summary>
    private sealed class LocalModel : ISegmenterSource
    {
        public ValueTask<Core.Segmentation.ITileSegmenter> GetAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>A typed client, as InferenceClient, AlertDispatcher and ArmTrainingJobStarter were.</summary>
    private sealed class TypedClient(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }

    /// <summary>A singleton that would capture it.</summary>
    private sealed class Holder(TypedClient client)
    {
        public TypedClient Client { get; } = client;
    }
}
