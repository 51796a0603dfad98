using Landslide.Pipeline.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Landslide.Pipeline.Hosting.Tests;

/// <summary>Which exporters the environment turns on (the variables are read through a lookup, not the process's).</summary>
public sealed class LocalTelemetryTests
{
    [Fact]
    public void NoVariables_RegistersNoOpenTelemetryAtAll()
    {
        var services = new ServiceCollection();

        Assert.False(LocalTelemetry.Add(services, _ => null));
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData(LocalTelemetry.ConsoleVariable, "true")]
    [InlineData(LocalTelemetry.OtlpEndpointVariable, "http://127.0.0.1:4317")]
    public void ConsoleOrOtlp_RegistersTracerAndMeterProviders(string variable, string value)
    {
        var services = new ServiceCollection();
        services.AddLogging();

        Assert.True(LocalTelemetry.Add(services, name => name == variable ? value : null));
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());
    }

    [Fact]
    public void ANonUrlEndpoint_IsIgnored()
    {
        Assert.False(LocalTelemetry.Add(new ServiceCollection(), name => name == LocalTelemetry.OtlpEndpointVariable ? "not a url" : null));
    }
}
