using System.Net;
using System.Text.Json;
using Landslide.Pipeline.Queries;
using Landslide.Raster;
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
        var health = WithGdal(await queries.HealthAsync(cancellationToken).ConfigureAwait(false));
        var response = request.CreateResponse(health.Healthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        return await WriteJsonAsync(response, health, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds whether this image's GDAL loads: every stage needs it, and only the container provides it.</summary>
    internal static HealthView WithGdal(HealthView health)
    {
        var checks = new Dictionary<string, string>(health.Checks, StringComparer.Ordinal);
        try
        {
            checks["gdal"] = GdalSettings.RuntimeVersion;
            return new HealthView(health.Healthy, checks);
        }
        catch (DllNotFoundException e)
        {
            checks["gdal"] = e.Message;
            return new HealthView(false, checks);
        }
    }

    // WriteAsJsonAsync would reset the status to 200; write the body ourselves to keep 404/503.
    private static async Task<HttpResponseData> WriteJsonAsync(HttpResponseData response, object body, CancellationToken cancellationToken)
    {
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(JsonSerializer.Serialize(body), cancellationToken).ConfigureAwait(false);
        return response;
    }
}
