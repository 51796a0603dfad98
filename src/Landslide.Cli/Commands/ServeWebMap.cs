using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Landslide.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Cli.Commands;

/// <summary>The web map beside `serve`'s pipeline: same storage, and the model the pipeline maps with.</summary>
internal static class ServeWebMap
{
    /// <summary>Configuration key of the web map's port (--port, LANDSLIDE_Serve__Port, or the settings file).</summary>
    public const string PortKey = "Serve:Port";

    /// <summary>The configured port, or null for the default.</summary>
    /// <exception cref="OptionsValidationException">The value is not a port number (exit code 2).</exception>
    public static int? Port(IConfiguration configuration)
    {
        var value = configuration[PortKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new OptionsValidationException(PortKey, typeof(int), [$"{PortKey} (--port) must be a port number from 0 to 65535, not '{value}'"]);
    }

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
