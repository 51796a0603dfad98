using System.Diagnostics.Metrics;
using Landslide.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Landslide.InferenceServer.Telemetry;

/// <summary>
/// Exporters for the server's traces and metrics (its own instruments plus ASP.NET Core's): always the Prometheus
/// scraping endpoint (GET /metrics), and OTLP or the console as the environment asks (<see cref="TelemetryExporters"/>).
/// </summary>
internal static class ServerTelemetryExporters
{
    public const string OtlpEndpointVariable = TelemetryExporters.OtlpEndpointVariable;

    public const string OtlpProtocolVariable = TelemetryExporters.OtlpProtocolVariable;

    public const string ConsoleVariable = TelemetryExporters.ConsoleVariable;

    /// <summary>The OpenTelemetry service.name (target_info's service_name on /metrics).</summary>
    public const string ServiceName = "landslide-inference";

    /// <summary>
    /// The meters behind GET /metrics. Only this host's meters are kept: the OpenTelemetry SDK listens to meters by
    /// name, process-wide, so a second server in the same process (the tests start many) would otherwise count into
    /// this one's /metrics.
    /// </summary>
    public static void AddPrometheus(IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(InferenceServerTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var factory = provider.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop);
        });
    }

    public static bool Add(IServiceCollection services, Func<string, string?>? environment = null) => TelemetryExporters.Add(
        services,
        ServiceName,
        tracing => tracing.AddSource(InferenceServerTelemetry.Name).AddAspNetCoreInstrumentation(),
        metrics => metrics.AddMeter(InferenceServerTelemetry.Name).AddAspNetCoreInstrumentation(),
        environment);
}
