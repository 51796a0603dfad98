using Landslide.Core.Segmentation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer.Health;

/// <summary>
/// /healthz (liveness: the process answers, no check runs) and /readyz (readiness: the checks tagged "ready") through
/// ASP.NET Core health checks, answering in the service's own contract: "ok" for liveness, and for readiness a JSON
/// body when ready or a problem+json 503 with the reason and Retry-After when not.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddServerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ModelReadyHealthCheck>(ModelReadyHealthCheck.Name, tags: [ReadyTag]);
        return services;
    }

    public static void MapServerHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(InferenceProtocol.HealthPath, new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) => Results.Text("ok").ExecuteAsync(context),
        }).AllowAnonymous();
        app.MapHealthChecks(InferenceProtocol.ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadinessAsync,
        }).AllowAnonymous();
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Healthy)
        {
            var reasons = string.Join("; ", report.Entries.Values
                .Where(e => e.Status != HealthStatus.Healthy)
                .Select(e => e.Description ?? e.Exception?.Message ?? e.Status.ToString()));
            var retryAfter = context.RequestServices.GetRequiredService<IOptions<InferenceServerOptions>>().Value.RetryAfterSeconds;
            return Problems.Write(context, StatusCodes.Status503ServiceUnavailable, InferenceProtocol.Errors.NotReady, reasons, retryAfter);
        }

        var model = report.Entries[ModelReadyHealthCheck.Name].Data;
        return Results.Json(new
        {
            status = "ready",
            version = model.GetValueOrDefault("version"),
            provider = model.GetValueOrDefault("provider"),
            problem = model.GetValueOrDefault("problem"),
        }).ExecuteAsync(context);
    }
}
