using Azure.Core;
using Azure.Identity;
using Landslide.Inference.Client;
using Landslide.Pipeline.DependencyInjection;
using Landslide.Pipeline.Retrain;
using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Landslide.Functions;

/// <summary>
/// The Functions app's services: the stage handlers, storage from connection "Storage" (service URIs + managed
/// identity in Azure, or a connection string locally), the inference client, and the ARM training-job starter.
/// </summary>
public static class FunctionsServices
{
    public static IServiceCollection Add(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLandslidePipeline();
        services.AddOptions<InferenceClientOptions>().BindConfiguration(InferenceClientOptions.SectionName);
        services.AddInferenceClient();
        services.AddSingleton<ISegmenterSource>(sp =>
        {
            var client = sp.GetRequiredService<InferenceClient>();
            return new RefreshingSegmenterSource(client, client.RefreshModelAsync, TimeSpan.FromMinutes(1));
        });

        var storageSection = configuration.GetSection(StorageNames.Connection);
        var credential = Credential(storageSection);
        services.AddSingleton(_ => Storage(storageSection, credential));
        services.AddHttpClient<ArmTrainingJobStarter>();
        services.AddSingleton<ITrainingJobStarter>(sp => sp.GetRequiredService<ArmTrainingJobStarter>());
        services.AddSingleton<TokenCredential>(credential);
        services.AddSingleton(sp => new Landslide.Web.RunCatalog(sp.GetRequiredService<PipelineStorage>()));
        return services;
    }

    private static PipelineStorage Storage(IConfigurationSection storageSection, TokenCredential credential)
    {
        if (!string.IsNullOrWhiteSpace(storageSection.Value))
        {
            return PipelineStorage.FromConnectionString(storageSection.Value);
        }

        Uri Endpoint(string key) => Uri.TryCreate(storageSection[key], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"app setting Storage__{key} is missing or not an absolute URI (see docs/SETTINGS.md)");

        return PipelineStorage.FromServiceUris(Endpoint("blobServiceUri"), Endpoint("queueServiceUri"), Endpoint("tableServiceUri"), credential);
    }

    /// <summary>The identity-based connection's credential: the user-assigned identity named by Storage__clientId.</summary>
    private static TokenCredential Credential(IConfigurationSection storageSection) =>
        string.Equals(storageSection["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(
                string.IsNullOrWhiteSpace(storageSection["clientId"])
                    ? ManagedIdentityId.SystemAssigned
                    : ManagedIdentityId.FromUserAssignedClientId(storageSection["clientId"]!))
            : new DefaultAzureCredential();
}
