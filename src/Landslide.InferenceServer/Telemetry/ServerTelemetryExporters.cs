using Landslide.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Landslide.InferenceServer.Telemetry;

/// <summary>
/// Exporters for the server's traces and metrics (its own instruments plus ASP.NET Core's), as the environment asks
/// (<see cref="TelemetryExporters"/>: OTLP, console, or nothing).
/// </summary>
internal static class ServerTelemetryExporters
{
    public const string OtlpEndpointVariable = TelemetryExporters.OtlpEndpointVariable;

    public const string OtlpProtocolVariable = TelemetryExporters.OtlpProtocolVariable;

    public const string ConsoleVariable = TelemetryExporters.ConsoleVariable;

    public static bool Add(IServiceCollection services, Func<string, string?>? environment = null) => TelemetryExporters.Add(
        services,
        "landslide-inference",
        tracing => tracing.AddSource(InferenceServerTelemetry.Name).AddAspNetCoreInstrumentation(),
        metrics => metrics.AddMeter(InferenceServerTelemetry.Name).AddAspNetCoreInstrumentation(),
        environment);
}
