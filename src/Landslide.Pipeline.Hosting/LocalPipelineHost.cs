using Landslide.Inference;
using Landslide.Inference.Client;
using Landslide.Pipeline.DependencyInjection;
using Landslide.Pipeline.Retrain;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Landslide.Pipeline.Triggers;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Hosting;

/// <summary>
/// Hosts the stage handlers locally with the Azure WebJobs SDK: a blob trigger on scenes/, queue triggers on chunks,
/// finalize and alerts (receipts, retries, poison queues as in Azure), and the retrain schedule as a hosted service.
/// </summary>
public static partial class LocalPipelineHost
{
    /// <summary>
    /// Starts Azurite if asked (and none is running), creates the containers, queues and table, then starts the host.
    /// The caller stops it (<c>StopAsync</c>, once) and disposes it; an Azurite it started keeps running.
    /// </summary>
    public static async Task<IHost> StartAsync(ServeSettings settings, Action<ILoggingBuilder>? logging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // --start-azurite only ever starts the local emulator the default storage points at, never one in place of another account.
        var azurite = settings.StartAzurite && IsLocalEmulator(settings.Storage)
            ? await AzuriteProcess.StartIfNeededAsync(settings.AzuriteLocation, settings.AzuriteDebug, cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            await StorageProbe.ThrowIfUnreachableAsync(settings.Storage, cancellationToken).ConfigureAwait(false);
            var host = CreateBuilder(settings, logging).Build();
            await host.Services.GetRequiredService<PipelineStorage>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            if (azurite is not null)
            {
                LogAzurite(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalPipelineHost)), azurite.ProcessId, settings.AzuriteLocation);
            }

            // Open the model (or reach the inference service) now: a missing model fails the start, not the first scene.
            await host.Services.GetRequiredService<ISegmenterSource>().GetAsync(cancellationToken).ConfigureAwait(false);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            azurite?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The host, not started: WebJobs with the storage extensions (trigger settings from host.json), the shared pipeline
    /// host wiring (the Functions app's call: storage, segmenter, GDAL from configuration) with serve's local model as
    /// the segmenter unless --inference-url is given, and serve's own parts (training as a process, sweepers, schedule).
    /// </summary>
    public static IHostBuilder CreateBuilder(ServeSettings settings, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configuration = new Dictionary<string, string?>(settings.Configuration)
        {
            [StorageNames.Connection] = settings.Storage,
            ["AzureWebJobsStorage"] = settings.Storage,
        };
        if (settings.InferenceUrl is { } url)
        {
            // --inference-url / --inference-key are the Functions app's InferenceClient settings.
            configuration[$"{InferenceClientOptions.SectionName}:{nameof(InferenceClientOptions.BaseAddress)}"] = url.AbsoluteUri;
            if (settings.InferenceApiKey is { } key)
            {
                configuration[$"{InferenceClientOptions.SectionName}:{nameof(InferenceClientOptions.ApiKey)}"] = key;
            }
        }

        return new HostBuilder()
            .ConfigureAppConfiguration(config => config.AddInMemoryCollection(configuration))
            .ConfigureLogging(builder => logging?.Invoke(builder))
            .ConfigureWebJobs(webJobs =>
            {
                webJobs.AddAzureStorageCoreServices();
                // host.json is the one source of the trigger settings: the Functions host reads the file, serve its embedded copy.
                var blobSettings = HostJson.Blobs;
                webJobs.AddAzureStorageBlobs(blobs =>
                {
                    blobs.MaxDegreeOfParallelism = blobSettings.MaxDegreeOfParallelism;
                    blobs.PoisonBlobThreshold = blobSettings.PoisonBlobThreshold;
                });
                var queueSettings = HostJson.Queues;
                webJobs.AddAzureStorageQueues(queues =>
                {
                    queues.MaxDequeueCount = queueSettings.MaxDequeueCount;
                    queues.BatchSize = queueSettings.BatchSize;
                    queues.NewBatchThreshold = queueSettings.NewBatchThreshold;
                    queues.VisibilityTimeout = queueSettings.VisibilityTimeout;
                    queues.MaxPollingInterval = queueSettings.MaxPollingInterval;
                    queues.MessageEncoding = Enum.Parse<Azure.Storage.Queues.QueueMessageEncoding>(queueSettings.MessageEncoding, ignoreCase: true);
                });
            })
            .ConfigureServices((context, services) =>
            {
                services.AddSingleton<IHostLifetime, CallerOwnedLifetime>();
                services.AddSingleton<ITypeLocator, LocalFunctionsTypeLocator>();
                services.AddLandslidePipelineHost(context.Configuration, LocalSegmenter(services, settings));
                LocalTelemetry.Add(services);
                services.AddSingleton<ITrainingJobStarter, ProcessTrainingJobStarter>();
                services.AddHostedService(sp => ActivatorUtilities.CreateInstance<LocalSceneSweeper>(sp, settings.SceneSweepInterval));
                services.AddHostedService(sp => ActivatorUtilities.CreateInstance<LocalStallSweeper>(sp, settings.StallSweepInterval));
                if (settings.RetrainInterval is { } interval)
                {
                    services.AddHostedService(sp => ActivatorUtilities.CreateInstance<LocalRetrainSchedule>(sp, interval));
                }
            });
    }

    /// <summary>True when <paramref name="connectionString"/> is Azurite on its default ports (what --start-azurite starts).</summary>
    public static bool IsLocalEmulator(string connectionString)
    {
        try
        {
            var uri = new Azure.Storage.Blobs.BlobServiceClient(connectionString).Uri;
            return uri.IsLoopback && uri.Port == 10000;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Serve's own model: a fixed ONNX file (--model), else models/current.json in the served storage (the embedded model until one is promoted).</summary>
    private static Func<IServiceProvider, ISegmenterSource> LocalSegmenter(IServiceCollection services, ServeSettings settings)
    {
        if (settings.ModelPath is null)
        {
            return sp => new StorageModelSource(
                sp.GetRequiredService<PipelineStorage>(),
                () => EmbeddedModel.Open(Inference(sp, modelPath: null), sp.GetService<ILogger<OnnxSegmenter>>()),
                settings.ModelPollInterval,
                sp.GetRequiredService<ILogger<StorageModelSource>>());
        }

        // Registered so the container disposes it; opened only when the local model is the segmenter.
        services.AddSingleton(sp => OnnxSegmenter.Open(Inference(sp, settings.ModelPath), sp.GetService<ILogger<OnnxSegmenter>>()));
        return sp => new FixedSegmenterSource(sp.GetRequiredService<OnnxSegmenter>());
    }

    /// <summary>The segmenter's batch is the pipeline's (Pipeline:BatchSize), as `map` passes --batch to both.</summary>
    private static InferenceOptions Inference(IServiceProvider services, string? modelPath) =>
        new() { ModelPath = modelPath, BatchSize = services.GetRequiredService<IOptions<PipelineOptions>>().Value.BatchSize };

    [LoggerMessage(Level = LogLevel.Information, Message = "Started Azurite (pid {ProcessId}, data in {Location}); it keeps running after serve stops")]
    private static partial void LogAzurite(ILogger logger, int processId, string location);
}
