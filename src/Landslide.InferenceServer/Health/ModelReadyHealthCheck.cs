using Landslide.InferenceServer.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Landslide.InferenceServer.Health;

/// <summary>Readiness: a model is loaded and warmed up. Unhealthy says why not (the refused pointer or model, if any).</summary>
internal sealed class ModelReadyHealthCheck(ModelSlot slot) : IHealthCheck
{
    public const string Name = "model";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = slot.Problem;
        if (slot.Current is not { } model)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                "No model is loaded and warmed up yet" + (problem is { } reason ? $": {reason}" : ".")));
        }

        var data = new Dictionary<string, object>
        {
            ["version"] = model.Descriptor.Version,
            ["provider"] = model.Provider,
        };
        if (problem is not null)
        {
            // Still serving the previous model: ready, but the refused newer one is reported.
            data["problem"] = problem;
        }

        return Task.FromResult(HealthCheckResult.Healthy("ready", data));
    }
}
