using Landslide.Core.Segmentation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace Landslide.Inference.Client;

/// <summary>
/// Registers the remote segmenter: <see cref="InferenceClient"/> as a singleton (it remembers the serving model) over
/// a named HttpClient it takes from <see cref="IHttpClientFactory"/> per request, the resilience pipeline, options
/// validated at start.
/// </summary>
public static class InferenceClientServiceCollectionExtensions
{
    /// <summary>Key of the client's pipeline in <c>ResiliencePipelineProvider&lt;string&gt;</c>.</summary>
    public const string PipelineName = InferencePipeline.Name;

    /// <summary>
    /// Adds <see cref="InferenceClient"/> (also as <see cref="ITileSegmenter"/>), validated at start. Hosts bind
    /// configuration themselves (<c>services.AddOptions&lt;InferenceClientOptions&gt;().BindConfiguration(InferenceClientOptions.SectionName)</c>);
    /// <paramref name="configure"/> runs after. The pipeline is in Polly's registry under <see cref="PipelineName"/>.
    /// </summary>
    public static IHttpClientBuilder AddInferenceClient(this IServiceCollection services, Action<InferenceClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<InferenceClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateDataAnnotations().ValidateOnStart();

        services.AddResiliencePipeline<string, HttpResponseMessage>(InferencePipeline.Name, static (builder, context) =>
            InferencePipeline.Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<InferenceClientOptions>>().Value));

        services.AddTransient<BufferingHandler>();
        services.TryAddSingleton<InferenceClient>();
        services.TryAddSingleton<ITileSegmenter>(static sp => sp.GetRequiredService<InferenceClient>());

        return services
            .AddHttpClient(InferenceClient.HttpClientName, static (sp, http) =>
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
