using System.Net;
using System.Text.Json;
using Landslide.Pipeline.Stages;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Landslide.Functions;

/// <summary>GET /api/runs/{scene}: the latest run of a scene (status, counts, links); GET /api/health.</summary>
public sealed class RunsFunction(RunQueries queries)
{
    [Function(nameof(GetRun))]
    public async Task<HttpResponseData> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{scene}")] HttpRequestData request,
        string scene,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var view = await queries.LatestAsync(scene, cancellationToken).ConfigureAwait(false);
        var response = request.CreateResponse(view is null ? HttpStatusCode.NotFound : HttpStatusCode.OK);
        return await WriteJsonAsync(response, view ?? (object)new { error = $"no run of scene '{scene}'" }, cancellationToken).ConfigureAwait(false);
    }

    [Function(nameof(Health))]
    public async Task<HttpResponseData> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var health = await queries.HealthAsync(cancellationToken).ConfigureAwait(false);
        var response = request.CreateResponse(health.Healthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        return await WriteJsonAsync(response, health, cancellationToken).ConfigureAwait(false);
    }

    // WriteAsJsonAsync would reset the status to 200; write the body ourselves to keep 404/503.
    private static async Task<HttpResponseData> WriteJsonAsync(HttpResponseData response, object body, CancellationToken cancellationToken)
    {
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(JsonSerializer.Serialize(body), cancellationToken).ConfigureAwait(false);
        return response;
    }
}
