using Landslide.InferenceServer.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Landslide.InferenceServer.Tests;

/// <summary>Which exporters the environment turns on (the variables are read through a lookup, not the process's).</summary>
public sealed class TelemetryExportersTests
{
    [Fact]
    public void NoVariables_RegistersNoOpenTelemetryAtAll()
    {
        var services = new ServiceCollection();

        Assert.False(ServerTelemetryExporters.Add(services, _ => null));
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData(ServerTelemetryExporters.ConsoleVariable, "true")]
    [InlineData(ServerTelemetryExporters.OtlpEndpointVariable, "http://127.0.0.1:4317")]
    public void ConsoleOrOtlp_RegistersTracerAndMeterProviders(string variable, string value)
    {
        var services = new ServiceCollection();
        services.AddLogging();

        Assert.True(ServerTelemetryExporters.Add(services, name => name == variable ? value : null));
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());
    }

    [Fact]
    public void ANonUrlEndpoint_IsIgnored()
    {
        Assert.False(ServerTelemetryExporters.Add(new ServiceCollection(), name => name == ServerTelemetryExporters.OtlpEndpointVariable ? "not a url" : null));
    }
}
