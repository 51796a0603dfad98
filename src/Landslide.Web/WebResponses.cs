using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Landslide.Web;

/// <summary>
/// The web map's answers, shared by the minimal API of `serve` (<see cref="LandslideWebEndpoints"/>) and the HTTP
/// functions of the Functions app, so both serve the same pages, JSON and ranged blobs.
/// </summary>
public static class WebResponses
{
    public static IResult Asset(string name) => WebAssets.Get(name) is { } bytes
        ? Results.Bytes(bytes, WebAssets.ContentType(name))
        : Results.NotFound();

    public static IResult ListPage() => Asset("index.html");

    public static IResult RunPage() => Asset("run.html");

    public static async Task<IResult> RunsAsync(RunCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Results.Json(await catalog.ListRunsAsync(cancellationToken).ConfigureAwait(false));
    }

    public static async Task<IResult> RunAsync(RunCatalog catalog, string scene, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return await catalog.GetRunAsync(scene, cancellationToken).ConfigureAwait(false) is { } run
            ? Results.Json(run)
            : Results.Json(new { error = $"no run of scene '{scene}'" }, statusCode: StatusCodes.Status404NotFound);
    }

    public static async Task<IResult> ModelsAsync(RunCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Results.Json(await catalog.ListModelsAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A training plot of a registry model.</summary>
    public static async Task<IResult> ModelPlotAsync(RunCatalog catalog, string version, string name, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(context);
        var plot = await catalog.OpenModelPlotAsync(version, name, context.RequestAborted).ConfigureAwait(false);
        if (plot is null)
        {
            return Results.Json(new { error = $"model '{version}' has no plot '{name}'" }, statusCode: StatusCodes.Status404NotFound);
        }

        context.Response.RegisterForDispose(plot);
        return Results.Stream(plot.Content, plot.ContentType, lastModified: plot.LastModified);
    }

    /// <summary>An output of the scene's results, honouring Range (206 + Content-Range) and If-None-Match.</summary>
    public static async Task<IResult> OutputAsync(RunCatalog catalog, string scene, string name, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(context);
        var output = await catalog.OpenAsync(scene, name, context.RequestAborted).ConfigureAwait(false);
        if (output is null)
        {
            return Results.Json(new { error = $"scene '{scene}' has no output '{name}'" }, statusCode: StatusCodes.Status404NotFound);
        }

        // The stream is disposed with the response.
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
