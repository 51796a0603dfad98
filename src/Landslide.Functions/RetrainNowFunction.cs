using System.Net;
using System.Text.Json;
using Landslide.Pipeline.Retrain;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Landslide.Functions;

/// <summary>
/// POST /api/retrain[?force=true]: the retrain check on demand (function key). Starts the training job when training/
/// changed since the current model, or always with force; answers 202 with the job id, or 200 with why it did not start.
/// </summary>
public sealed class RetrainNowFunction(RetrainHandler handler)
{
    [Function(nameof(RetrainNow))]
    public async Task<HttpResponseData> RetrainNow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "retrain")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var force = string.Equals(System.Web.HttpUtility.ParseQueryString(request.Url.Query)["force"], "true", StringComparison.OrdinalIgnoreCase);
        var outcome = await handler.HandleAsync(force, cancellationToken).ConfigureAwait(false);
        var response = request.CreateResponse(outcome.Started ? HttpStatusCode.Accepted : HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(JsonSerializer.Serialize(outcome), cancellationToken).ConfigureAwait(false);
        return response;
    }
}
