using Landslide.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Landslide.Pipeline.Hosting;

/// <summary>
/// OpenTelemetry for <c>landslide serve</c>: the pipeline's ActivitySource and Meter plus outgoing HTTP, exported as
/// the environment asks (<see cref="TelemetryExporters"/>: OTLP, console, or nothing).
/// </summary>
public static class LocalTelemetry
{
    public const string OtlpEndpointVariable = TelemetryExporters.OtlpEndpointVariable;

    public const string OtlpProtocolVariable = TelemetryExporters.OtlpProtocolVariable;

    public const string ConsoleVariable = TelemetryExporters.ConsoleVariable;

    /// <summary>Adds the exporters the environment asks for; returns whether any was added.</summary>
    public static bool Add(IServiceCollection services, Func<string, string?>? environment = null) => TelemetryExporters.Add(
        services,
        "landslide-serve",
        tracing => tracing.AddSource(PipelineTelemetry.Name).AddHttpClientInstrumentation(),
        metrics => metrics.AddMeter(PipelineTelemetry.Name).AddHttpClientInstrumentation(),
        environment);
}
