using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Landslide.CommandLine;

/// <summary>
/// Console logging for the commands: one plain line per event on stderr, so stdout stays for results (and --json).
/// The level comes from -q/--quiet (warnings and errors only) and -v/--verbose (debug).
/// </summary>
public static class CliLogging
{
    public static ILoggerFactory Create(LogLevel level = LogLevel.Information) => LoggerFactory.Create(builder => Configure(builder, level));

    /// <summary>The logging of the command being run, at the level its -q/-v ask for.</summary>
    public static ILoggerFactory Create(ParseResult parse) => Create(CommonOptions.LogLevel(parse));

    /// <summary>Adds the console logger (stderr, single line) at <paramref name="level"/>; the Microsoft.* noise stays at warnings.</summary>
    public static ILoggingBuilder Configure(ILoggingBuilder builder, LogLevel level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .SetMinimumLevel(level)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = false;
                o.TimestampFormat = "HH:mm:ss ";
            })
            .AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
    }
}
