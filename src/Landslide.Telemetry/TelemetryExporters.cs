using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Landslide.Telemetry;

/// <summary>
/// Exporters for a host's traces and metrics, as the environment asks: OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set
/// (OTEL_EXPORTER_OTLP_PROTOCOL grpc or http/protobuf), the console when LANDSLIDE_TELEMETRY_CONSOLE=true; with
/// neither, nothing is registered. The host names its service and adds its own sources, meters and instrumentation.
/// </summary>
public static class TelemetryExporters
{
    /// <summary>The OTLP collector address (the OpenTelemetry standard variable).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>OTLP transport: grpc (default) or http/protobuf (the OpenTelemetry standard variable).</summary>
    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>true: also write spans and metrics to the console.</summary>
    public const string ConsoleVariable = "LANDSLIDE_TELEMETRY_CONSOLE";

    /// <summary>Adds the exporters the environment asks for; returns whether any was added.</summary>
    public static bool Add(
        IServiceCollection services,
        string serviceName,
        Action<TracerProviderBuilder> tracing,
        Action<MeterProviderBuilder> metrics,
        Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        ArgumentNullException.ThrowIfNull(metrics);
        environment ??= Environment.GetEnvironmentVariable;
        var otlp = Uri.TryCreate(environment(OtlpEndpointVariable), UriKind.Absolute, out var otlpUri) ? otlpUri : null;
        var console = string.Equals(environment(ConsoleVariable), "true", StringComparison.OrdinalIgnoreCase);
        if (otlp is null && !console)
        {
            return false;
        }

        var http = string.Equals(environment(OtlpProtocolVariable), "http/protobuf", StringComparison.OrdinalIgnoreCase);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(builder =>
            {
                tracing(builder);
                if (otlp is not null)
                {
                    builder.AddOtlpExporter(o => Otlp(o, otlp, http, "v1/traces"));
                }

                if (console)
                {
                    builder.AddConsoleExporter();
                }
            })
            .WithMetrics(builder =>
            {
                metrics(builder);
                if (otlp is not null)
                {
                    builder.AddOtlpExporter(o => Otlp(o, otlp, http, "v1/metrics"));
                }

                if (console)
                {
                    builder.AddConsoleExporter();
                }
            });
        return true;
    }

    // An explicit endpoint is taken as is by the exporter: over http/protobuf it must name the signal's path.
    private static void Otlp(OtlpExporterOptions options, Uri endpoint, bool http, string signalPath)
    {
        options.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        options.Endpoint = http ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath) : endpoint;
    }
}
