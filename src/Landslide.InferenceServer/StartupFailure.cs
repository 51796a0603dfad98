using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer;

/// <summary>Turns the failures an operator causes at start (settings, a taken port) into one line saying what to set.</summary>
internal static class StartupFailure
{
    /// <summary>Exit code of a server that refused to start because of its settings.</summary>
    public const int ExitCode = 2;

    /// <summary>The one line to print, or null when the exception is a fault of the program (let it surface).</summary>
    public static string? Describe(Exception exception)
    {
        var ex = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        return ex switch
        {
            OptionsValidationException validation => "inference server refused to start: " + string.Join("; ", validation.Failures.Select(OneLine)),
            InvalidOperationException { InnerException: FormatException or OverflowException or ArgumentException } binding when binding.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase)
                => $"inference server refused to start: {OneLine(binding.Message)} ({OneLine(binding.InnerException!.Message)})",
            IOException io when io.InnerException is SocketException || io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                => $"inference server refused to start: {OneLine(ex.Message)}; set --urls (or ASPNETCORE_HTTP_PORTS) to a free port",
            _ => null,
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
