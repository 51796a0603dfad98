using Landslide.Pipeline.Stages;
using Landslide.Pipeline.Storage;
using Landslide.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Landslide.Cli.Commands;

/// <summary>The web map beside `serve`'s pipeline: same storage, and the model the pipeline maps with.</summary>
internal static class ServeWebMap
{
    /// <param name="pipeline">The started pipeline host (its model is listed as the one in use).</param>
    /// <param name="storage">The pipeline's storage connection string.</param>
    /// <param name="port">--port; null takes 5080, or any free port when another program (or serve) holds 5080.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public static async Task<RunWebServer> StartAsync(IHost pipeline, string storage, int? port, CancellationToken cancellationToken)
    {
        var segmenter = await pipeline.Services.GetRequiredService<ISegmenterSource>().GetAsync(cancellationToken).ConfigureAwait(false);
        var catalog = new RunCatalog(PipelineStorage.FromConnectionString(storage), segmenter.Model);
        RunWebServer web;
        try
        {
            web = await StartAsync(catalog, port ?? new WebServerOptions().Port, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (port is null)
        {
            web = await StartAsync(catalog, 0, cancellationToken).ConfigureAwait(false);
        }

        await Console.Error.WriteLineAsync($"Web map: {web.Url}").ConfigureAwait(false);
        return web;
    }

    private static Task<RunWebServer> StartAsync(RunCatalog catalog, int port, CancellationToken cancellationToken) => RunWebServer.StartAsync(
        catalog,
        new WebServerOptions { Port = port },
        b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning),
        cancellationToken);
}
