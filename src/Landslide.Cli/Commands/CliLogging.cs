using Microsoft.Extensions.Logging;

namespace Landslide.Cli.Commands;

/// <summary>Console logging for the commands: one plain line per event on stderr, so stdout stays for results.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = false;
            o.TimestampFormat = "HH:mm:ss ";
        })
        .AddFilter("Microsoft", LogLevel.Warning));
}
