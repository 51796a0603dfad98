using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Landslide.Web;

/// <summary>
/// The web map's routes: <c>/</c> (run list), <c>/run/{scene}</c> (map), <c>/assets/*</c> (bundle), <c>/api/runs</c>,
/// <c>/api/runs/{scene}</c>, <c>/api/models</c>, and <c>/runs/{scene}/files/{name}</c> (blobs, with HTTP Range so geotiff.js reads only the COG blocks and overviews it draws).
/// </summary>
public static class LandslideWebEndpoints
{
    public static IEndpointRouteBuilder MapLandslideWeb(this IEndpointRouteBuilder endpoints, RunCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(catalog);
        endpoints.MapGet("/", () => Asset("index.html"));
        endpoints.MapGet("/run/{scene}", (string scene) => Asset("run.html"));
        endpoints.MapGet("/assets/{name}", (string name) => Asset(name));
        endpoints.MapGet("/api/runs", async (CancellationToken ct) => Results.Json(await catalog.ListRunsAsync(ct).ConfigureAwait(false)));
        endpoints.MapGet("/api/runs/{scene}", async (string scene, CancellationToken ct) =>
            await catalog.GetRunAsync(scene, ct).ConfigureAwait(false) is { } run
                ? Results.Json(run)
                : Results.Json(new { error = $"no run of scene '{scene}'" }, statusCode: StatusCodes.Status404NotFound));
        endpoints.MapGet("/api/models", async (CancellationToken ct) => Results.Json(await catalog.ListModelsAsync(ct).ConfigureAwait(false)));
        endpoints.MapGet("/runs/{scene}/files/{name}", (string scene, string name, HttpContext context) => BlobAsync(catalog, scene, name, context));
        return endpoints;
    }

    private static IResult Asset(string name) => WebAssets.Get(name) is { } bytes
        ? Results.Bytes(bytes, WebAssets.ContentType(name))
        : Results.NotFound();

    private static async Task<IResult> BlobAsync(RunCatalog catalog, string scene, string name, HttpContext context)
    {
        var output = await catalog.OpenAsync(scene, name, context.RequestAborted).ConfigureAwait(false);
        if (output is null)
        {
            return Results.Json(new { error = $"scene '{scene}' has no {name}" }, statusCode: StatusCodes.Status404NotFound);
        }

        // The stream is disposed by the result once the response is written.
        context.Response.RegisterForDispose(output);
        return Results.Stream(
            output.Content,
            output.ContentType,
            fileDownloadName: null,
            lastModified: output.LastModified,
            entityTag: new EntityTagHeaderValue(output.ETag.StartsWith('"') ? output.ETag : $"\"{output.ETag}\""),
            enableRangeProcessing: true);
    }
}
