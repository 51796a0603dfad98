using Landslide.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Landslide.Pipeline.Hosting;

/// <summary>
/// OpenTelemetry for <c>landslide serve</c>: the pipeline's ActivitySource and Meter plus outgoing HTTP, exported over
/// OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set and to the console when LANDSLIDE_TELEMETRY_CONSOLE=true; with
/// neither, nothing is registered.
/// </summary>
public static class LocalTelemetry
{
    /// <summary>The OTLP collector address (the OpenTelemetry standard variable).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>OTLP transport: grpc (default) or http/protobuf (the OpenTelemetry standard variable).</summary>
    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>true: also write spans and metrics to the console.</summary>
    public const string ConsoleVariable = "LANDSLIDE_TELEMETRY_CONSOLE";

    /// <summary>Adds the exporters the environment asks for; returns whether any was added.</summary>
    public static bool Add(IServiceCollection services, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var endpoint = environment(OtlpEndpointVariable);
        var otlp = Uri.TryCreate(endpoint, UriKind.Absolute, out var otlpUri) ? otlpUri : null;
        var console = string.Equals(environment(ConsoleVariable), "true", StringComparison.OrdinalIgnoreCase);
        if (otlp is null && !console)
        {
            return false;
        }

        var http = string.Equals(environment(OtlpProtocolVariable), "http/protobuf", StringComparison.OrdinalIgnoreCase);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("landslide-serve"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(PipelineTelemetry.Name).AddHttpClientInstrumentation();
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
                metrics.AddMeter(PipelineTelemetry.Name).AddHttpClientInstrumentation();
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
