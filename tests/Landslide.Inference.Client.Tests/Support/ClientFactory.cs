using Microsoft.Extensions.DependencyInjection;

namespace Landslide.Inference.Client.Tests.Support;

/// <summary>The client as a host would get it: DI, typed HttpClient, resilience pipeline from the registry.</summary>
internal static class ClientFactory
{
    public static ServiceProvider Services(Uri baseAddress, Action<InferenceClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddInferenceClient(o =>
        {
            o.BaseAddress = baseAddress;
            o.ApiKey = Landslide.InferenceServer.Tests.Support.RunningServer.ApiKey;

            // Quick retries so fault tests take seconds; Retry-After still wins when the server sends one.
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.RetryMaxDelay = TimeSpan.FromSeconds(2);
            o.MaxRetryAttempts = 8;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
