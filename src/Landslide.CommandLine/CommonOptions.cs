using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Landslide.CommandLine;

/// <summary>
/// The options both programs spell the same way: <c>-o/--out</c> (where results go), <c>-v/--verbose</c> and
/// <c>-q/--quiet</c> (log level, on every command), <c>--json</c> (machine-readable result on stdout), and the root's
/// <c>--version</c> (the informational version).
/// </summary>
public static class CommonOptions
{
    /// <summary>-v/--verbose: debug logging. Recursive: valid after any command.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log debug detail (on stderr).", Recursive = true };

    /// <summary>-q/--quiet: warnings and errors only. Recursive: valid after any command.</summary>
    public static Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Log warnings and errors only (stdout keeps the results).", Recursive = true };

    /// <summary>The program's root command with -v/-q; System.CommandLine adds --help and --version (the assembly's informational version).</summary>
    public static RootCommand Root(string description)
    {
        var root = new RootCommand(description);
        root.Options.Add(Verbose);
        root.Options.Add(Quiet);
        return root;
    }

    /// <summary>-o/--out: a folder the command writes into.</summary>
    public static Option<DirectoryInfo> OutDirectory(string description, bool required = true) => new("--out", "-o") { Description = description, Required = required };

    /// <summary>-o/--out for a command whose output folder is optional.</summary>
    public static Option<DirectoryInfo?> OptionalOutDirectory(string description) => new("--out", "-o") { Description = description };

    /// <summary>-o/--out: a file the command writes.</summary>
    public static Option<FileInfo> OutFile(string description) => new("--out", "-o") { Description = description, Required = true };

    /// <summary>--json: print the result as one JSON document on stdout instead of text.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON on stdout (logs stay on stderr)." };

    /// <summary>The log level -q/-v ask for: Warning, Debug, else Information. Both given: -q wins.</summary>
    public static LogLevel LogLevel(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(Quiet) ? Microsoft.Extensions.Logging.LogLevel.Warning
            : parse.GetValue(Verbose) ? Microsoft.Extensions.Logging.LogLevel.Debug
            : Microsoft.Extensions.Logging.LogLevel.Information;
    }

    /// <summary>
    /// Parses and runs: a command line that does not parse (an unknown option, a number that is not one) exits 2 with
    /// one line per error and a pointer to --help on stderr, instead of the help text on stdout.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0)
        {
            return await parse.InvokeAsync().ConfigureAwait(false);
        }

        foreach (var error in parse.Errors)
        {
            await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
        }

        await Console.Error.WriteLineAsync($"see `{CommandPath(parse.CommandResult)} --help`").ConfigureAwait(false);
        return ExitCodes.BadInput;
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult command)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = command; r is not null; r = r.Parent)
        {
            if (r is System.CommandLine.Parsing.CommandResult c)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
