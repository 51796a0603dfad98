using Azure.Monitor.OpenTelemetry.Exporter;
using Landslide.Pipeline;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Landslide.Functions;

/// <summary>
/// OpenTelemetry for the Functions app: the pipeline's ActivitySource and Meter plus outgoing HTTP (the inference
/// client), exported to Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set; without it nothing is
/// exported (the instruments stay silent and cost next to nothing).
/// </summary>
public static class FunctionsTelemetry
{
    /// <summary>The Application Insights connection string setting (the platform's name).</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IServiceCollection Add(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddSource(PipelineTelemetry.Name)
                .AddHttpClientInstrumentation()
                .AddAzureMonitorTraceExporter(o => o.ConnectionString = connectionString))
            .WithMetrics(metrics => metrics
                .AddMeter(PipelineTelemetry.Name)
                .AddHttpClientInstrumentation()
                .AddAzureMonitorMetricExporter(o => o.ConnectionString = connectionString));
        return services;
    }
}
