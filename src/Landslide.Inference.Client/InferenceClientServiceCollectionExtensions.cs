using Landslide.Core.Segmentation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace Landslide.Inference.Client;

/// <summary>Registers the remote segmenter: typed HttpClient, resilience pipeline, options validated at start.</summary>
public static class InferenceClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="InferenceClient"/> (also as <see cref="ITileSegmenter"/>). Options bind from
    /// <see cref="InferenceClientOptions.SectionName"/> when configuration is present; <paramref name="configure"/> runs after.
    /// The pipeline is registered in Polly's registry under "landslide-inference".
    /// </summary>
    public static IHttpClientBuilder AddInferenceClient(this IServiceCollection services, Action<InferenceClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<InferenceClientOptions>().BindConfiguration(InferenceClientOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateDataAnnotations().ValidateOnStart();

        services.AddResiliencePipeline<string, HttpResponseMessage>(InferencePipeline.Name, static (builder, context) =>
            InferencePipeline.Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<InferenceClientOptions>>().Value));

        services.AddTransient<BufferingHandler>();
        services.AddTransient<ITileSegmenter>(static sp => sp.GetRequiredService<InferenceClient>());

        return services
            .AddHttpClient<InferenceClient>(static (sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<InferenceClientOptions>>().Value;
                http.BaseAddress = o.BaseAddress;

                // The pipeline owns every timeout; HttpClient's own 100 s default would cut it short.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler(static sp => new ResilienceHandler(
                sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<HttpResponseMessage>(InferencePipeline.Name)))
            .AddHttpMessageHandler<BufferingHandler>();
    }
}
