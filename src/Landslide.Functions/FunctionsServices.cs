using Landslide.Pipeline.DependencyInjection;
using Landslide.Pipeline.Retrain;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Landslide.Functions;

/// <summary>
/// The Functions app's services: the shared pipeline host wiring (handlers, storage from connection "Storage" through
/// the Azure client factory, the inference client as segmenter, GDAL settings; the same call `landslide serve`
/// makes), plus what only the Functions app has: the ARM training-job starter and the web map's run catalog.
/// </summary>
public static class FunctionsServices
{
    public static IServiceCollection Add(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLandslidePipelineHost(configuration);
        services.AddHttpClient(ArmTrainingJobStarter.HttpClientName);
        services.AddSingleton<ITrainingJobStarter, ArmTrainingJobStarter>();
        services.AddSingleton(sp => new Landslide.Web.RunCatalog(sp.GetRequiredService<PipelineStorage>()));
        return services;
    }
}
