using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Landslide.Inference.Client;
using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Landslide.Raster;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Landslide.Pipeline.DependencyInjection;

/// <summary>
/// The one host wiring of the Functions app and `landslide serve`: the stage handlers and their options
/// (<see cref="PipelineServiceCollectionExtensions.AddLandslidePipeline"/>), the storage clients through the Azure
/// SDK's client factory, the segmenter source and the GDAL settings, all from configuration. What differs per host
/// (triggers, the training-job starter, telemetry exporters, a local ONNX model) stays in the host.
/// </summary>
public static class PipelineHostServiceCollectionExtensions
{
    /// <summary>How often a remote segmenter source asks the inference service which model serves.</summary>
    public static readonly TimeSpan ModelRefresh = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Adds the pipeline with its storage, segmenter and GDAL settings.
    /// <list type="bullet">
    /// <item>Storage (connection <c>Storage</c>): a connection string (<c>Storage</c>, Azurite locally), else the
    /// identity-based connection of the Functions host: <c>Storage:blobServiceUri</c>, <c>queueServiceUri</c>,
    /// <c>tableServiceUri</c> with <c>Storage:credential</c> = managedidentity (and <c>Storage:clientId</c> for a
    /// user-assigned identity) or <see cref="DefaultAzureCredential"/>. Registered with <c>AddAzureClients</c>, so
    /// <see cref="BlobServiceClient"/>, <see cref="QueueServiceClient"/> (base64 messages) and
    /// <see cref="TableServiceClient"/> are injectable too; <see cref="PipelineStorage"/> wraps them.</item>
    /// <item>Segmenter: the inference service when <c>InferenceClient:BaseAddress</c> is set (or the host has no local
    /// model), else <paramref name="localSegmenter"/>.</item>
    /// <item>GDAL: <see cref="GdalOptions"/> (section Gdal), applied to the process now.</item>
    /// </list>
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither a connection string nor the three service URIs are set.</exception>
    /// <exception cref="ValidationException">A Gdal setting is out of range.</exception>
    public static IServiceCollection AddLandslidePipelineHost(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, ISegmenterSource>? localSegmenter = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLandslidePipeline();
        ApplyGdal(services, configuration);
        AddStorage(services, configuration.GetSection(StorageNames.Connection));
        AddSegmenter(services, configuration, localSegmenter);
        return services;
    }

    private static void ApplyGdal(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GdalOptions>().BindConfiguration(GdalOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // A process setting, needed before the first raster opens: applied while the host is built.
        var gdal = configuration.GetSection(GdalOptions.SectionName).Get<GdalOptions>() ?? new GdalOptions();
        Validator.ValidateObject(gdal, new ValidationContext(gdal), validateAllProperties: true);
        GdalSettings.BlockCacheBytes = (long)gdal.BlockCacheMiB << 20;
    }

    private static void AddStorage(IServiceCollection services, IConfigurationSection storage)
    {
        services.TryAddSingleton(_ => Credential(storage));
        services.AddAzureClients(clients =>
        {
            if (!string.IsNullOrWhiteSpace(storage.Value))
            {
                clients.AddBlobServiceClient(storage.Value);
                clients.AddQueueServiceClient(storage.Value).ConfigureOptions(o => o.MessageEncoding = QueueMessageEncoding.Base64);
                clients.AddTableServiceClient(storage.Value);
                return;
            }

            clients.AddBlobServiceClient(Endpoint(storage, "blobServiceUri"));
            clients.AddQueueServiceClient(Endpoint(storage, "queueServiceUri")).ConfigureOptions(o => o.MessageEncoding = QueueMessageEncoding.Base64);
            clients.AddTableServiceClient(Endpoint(storage, "tableServiceUri"));
            clients.UseCredential(sp => sp.GetRequiredService<TokenCredential>());
        });
        services.TryAddSingleton(sp => new PipelineStorage(
            sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<TableServiceClient>()));
    }

    private static void AddSegmenter(IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, ISegmenterSource>? localSegmenter)
    {
        var remote = !string.IsNullOrWhiteSpace(configuration[$"{InferenceClientOptions.SectionName}:{nameof(InferenceClientOptions.BaseAddress)}"]);
        if (!remote && localSegmenter is not null)
        {
            services.AddSingleton(localSegmenter);
            return;
        }

        services.AddOptions<InferenceClientOptions>().BindConfiguration(InferenceClientOptions.SectionName);
        services.AddInferenceClient();
        services.AddSingleton<ISegmenterSource>(sp =>
        {
            var client = sp.GetRequiredService<InferenceClient>();
            return new RefreshingSegmenterSource(client, client.RefreshModelAsync, ModelRefresh);
        });
    }

    private static Uri Endpoint(IConfigurationSection storage, string key) =>
        Uri.TryCreate(storage[key], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException(
                $"storage connection '{storage.Path}': set a connection string, or {storage.Path}__{key} (an absolute URI) with the other service URIs (see docs/SETTINGS.md)");

    /// <summary>The identity-based connection's credential: the managed identity (user-assigned when clientId is set), else DefaultAzureCredential.</summary>
    private static TokenCredential Credential(IConfigurationSection storage) =>
        string.Equals(storage["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(
                string.IsNullOrWhiteSpace(storage["clientId"])
                    ? ManagedIdentityId.SystemAssigned
                    : ManagedIdentityId.FromUserAssignedClientId(storage["clientId"]!))
            : new DefaultAzureCredential();
}
