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
    public static async Task<RunWebServer> StartAsync(IHost pipeline, string storage, int port, CancellationToken cancellationToken)
    {
        var segmenter = await pipeline.Services.GetRequiredService<ISegmenterSource>().GetAsync(cancellationToken).ConfigureAwait(false);
        var catalog = new RunCatalog(PipelineStorage.FromConnectionString(storage), segmenter.Model);
        var web = await RunWebServer.StartAsync(
            catalog,
            new WebServerOptions { Port = port },
            b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning),
            cancellationToken).ConfigureAwait(false);
        await Console.Error.WriteLineAsync($"Web map: {web.Url}").ConfigureAwait(false);
        return web;
    }
}
