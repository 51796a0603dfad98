using Landslide.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Landslide.Functions;

/// <summary>
/// The web map in Azure, the same pages and JSON as `landslide serve` (Landslide.Web) under /api/web/: pages and the
/// bundle are anonymous (they hold no data); the run list, runs, models and outputs need the app's function key,
/// which the page passes on from its own URL (?code=).
/// </summary>
public sealed class WebMapFunction(RunCatalog catalog)
{
    [Function(nameof(WebListPage))]
    public IResult WebListPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "web")] HttpRequest request) => WebResponses.ListPage();

    [Function(nameof(WebRunPage))]
    public IResult WebRunPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "web/run/{scene}")] HttpRequest request, string scene) =>
        WebResponses.RunPage();

    [Function(nameof(WebAsset))]
    public IResult WebAsset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "web/assets/{name}")] HttpRequest request, string name) =>
        WebResponses.Asset(name);

    [Function(nameof(WebRuns))]
    public Task<IResult> WebRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "web/api/runs")] HttpRequest request, CancellationToken cancellationToken) =>
        WebResponses.RunsAsync(catalog, cancellationToken);

    [Function(nameof(WebRun))]
    public Task<IResult> WebRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "web/api/runs/{scene}")] HttpRequest request, string scene, CancellationToken cancellationToken) =>
        WebResponses.RunAsync(catalog, scene, cancellationToken);

    [Function(nameof(WebModels))]
    public Task<IResult> WebModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "web/api/models")] HttpRequest request, CancellationToken cancellationToken) =>
        WebResponses.ModelsAsync(catalog, cancellationToken);

    [Function(nameof(WebModelPlot))]
    public Task<IResult> WebModelPlot(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "web/models/{version}/plots/{name}")] HttpRequest request, string version, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WebResponses.ModelPlotAsync(catalog, version, name, request.HttpContext);
    }

    [Function(nameof(WebOutput))]
    public Task<IResult> WebOutput(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "web/runs/{scene}/files/{name}")] HttpRequest request, string scene, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WebResponses.OutputAsync(catalog, scene, name, request.HttpContext);
    }
}
