using Landslide.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Landslide.Functions.Tests;

/// <summary>The Azure Monitor exporter is wired only when Application Insights is configured.</summary>
public sealed class FunctionsTelemetryTests
{
    [Fact]
    public void WithoutAConnectionString_NoOpenTelemetryIsRegistered()
    {
        var services = new ServiceCollection();
        FunctionsTelemetry.Add(services, new ConfigurationBuilder().Build());

        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
    }

    [Fact]
    public void WithAConnectionString_TracesAndMetricsAreExported()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // A closed local port: nothing leaves the machine.
            [FunctionsTelemetry.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        FunctionsTelemetry.Add(services, configuration);

        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());
    }
}
