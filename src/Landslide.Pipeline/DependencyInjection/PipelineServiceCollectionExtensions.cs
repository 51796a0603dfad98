using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Chunks;
using Landslide.Pipeline.Finalize;
using Landslide.Pipeline.Queries;
using Landslide.Pipeline.Retrain;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.SceneArrival;
using Landslide.Pipeline.Scenes;
using Landslide.Pipeline.Stalls;
using Microsoft.Extensions.DependencyInjection;

namespace Landslide.Pipeline.DependencyInjection;

/// <summary>
/// Registers the stage handlers and their options (sections Pipeline, Alerts, Training; validated at start). Hosts
/// call <see cref="PipelineHostServiceCollectionExtensions.AddLandslidePipelineHost"/>, which adds this with the
/// storage, the segmenter source and GDAL's settings; the host adds an <see cref="ITrainingJobStarter"/>.
/// </summary>
public static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddLandslidePipeline(this IServiceCollection services)
    {
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetrainOptions>().BindConfiguration(RetrainOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<RunStore>();
        services.AddSingleton<SceneBlobOpener>();
        services.AddSingleton<SceneArrivedHandler>();
        services.AddSingleton<ChunkWorkerHandler>();
        services.AddSingleton<FinalizerHandler>();
        services.AddSingleton<RetrainHandler>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<StallSweeper>();
        // Named client per delivery: the dispatcher is a singleton and must not hold a typed HttpClient.
        services.AddHttpClient(AlertDispatcher.HttpClientName);
        services.AddSingleton<AlertDispatcher>();
        return services;
    }
}
