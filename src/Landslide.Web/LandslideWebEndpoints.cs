using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Landslide.Web;

/// <summary>
/// The web map's routes: <c>/</c> (run list), <c>/run/{scene}</c> (map), <c>/assets/*</c> (bundle), <c>/api/runs</c>,
/// <c>/api/runs/{scene}</c>, <c>/api/models</c>, and <c>/runs/{scene}/files/{name}</c> (outputs, with HTTP Range so
/// geotiff.js reads only the COG blocks and overviews it draws). Pages use relative URLs, so the same files work
/// under the Functions app's <c>/api/web/</c>.
/// </summary>
public static class LandslideWebEndpoints
{
    public static IEndpointRouteBuilder MapLandslideWeb(this IEndpointRouteBuilder endpoints, RunCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(catalog);
        endpoints.MapGet("/", WebResponses.ListPage);
        endpoints.MapGet("/run/{scene}", (string scene) => WebResponses.RunPage());
        endpoints.MapGet("/assets/{name}", WebResponses.Asset);
        endpoints.MapGet("/api/runs", (CancellationToken ct) => WebResponses.RunsAsync(catalog, ct));
        endpoints.MapGet("/api/runs/{scene}", (string scene, CancellationToken ct) => WebResponses.RunAsync(catalog, scene, ct));
        endpoints.MapGet("/api/models", (CancellationToken ct) => WebResponses.ModelsAsync(catalog, ct));
        endpoints.MapGet("/models/{version}/plots/{name}", (string version, string name, HttpContext context) => WebResponses.ModelPlotAsync(catalog, version, name, context));
        endpoints.MapGet("/runs/{scene}/files/{name}", (string scene, string name, HttpContext context) => WebResponses.OutputAsync(catalog, scene, name, context));
        return endpoints;
    }
}
