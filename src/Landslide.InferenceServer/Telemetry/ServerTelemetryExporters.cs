using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Landslide.InferenceServer.Telemetry;

/// <summary>
/// Exporters for the server's traces and metrics (its own instruments plus ASP.NET Core's): OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set, the console when LANDSLIDE_TELEMETRY_CONSOLE=true, else none at all.
/// </summary>
internal static class ServerTelemetryExporters
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public const string ConsoleVariable = "LANDSLIDE_TELEMETRY_CONSOLE";

    public static bool Add(IServiceCollection services, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var otlp = Uri.TryCreate(environment(OtlpEndpointVariable), UriKind.Absolute, out var otlpUri) ? otlpUri : null;
        var console = string.Equals(environment(ConsoleVariable), "true", StringComparison.OrdinalIgnoreCase);
        if (otlp is null && !console)
        {
            return false;
        }

        var http = string.Equals(environment(OtlpProtocolVariable), "http/protobuf", StringComparison.OrdinalIgnoreCase);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("landslide-inference"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(InferenceServerTelemetry.Name).AddAspNetCoreInstrumentation();
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(o => Otlp(o, otlp, http, "v1/traces"));
                }

                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(InferenceServerTelemetry.Name).AddAspNetCoreInstrumentation();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => Otlp(o, otlp, http, "v1/metrics"));
                }

                if (console)
                {
                    metrics.AddConsoleExporter();
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
