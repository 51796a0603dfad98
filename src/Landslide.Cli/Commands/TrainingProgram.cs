using System.Text;
using Landslide.CommandLine;

namespace Landslide.Cli.Commands;

/// <summary>
/// Finds landslide-train, the program that retrains (`serve retrain`, `serve --retrain-every`): landslide itself
/// carries no TorchSharp. In order: Training:Command when set (--train-command, LANDSLIDE_Training__Command or the
/// settings file; a program on PATH or a path); the sibling build output (artifacts/bin/Landslide.Training.Job/{config}/
/// beside artifacts/bin/Landslide.Cli/{config}/, what `./landslide` builds); landslide-train.dll beside landslide.dll
/// (both published into one folder); landslide-train on PATH.
/// </summary>
internal sealed class TrainingProgram
{
    private const string DllName = "landslide-train.dll";

    private TrainingProgram(string command, IReadOnlyList<string> prefix)
    {
        Command = command;
        Prefix = prefix;
    }

    /// <summary>The program to start (dotnet, or the configured command).</summary>
    public string Command { get; }

    /// <summary>Arguments before the training program's own (the dll when run through dotnet).</summary>
    public IReadOnlyList<string> Prefix { get; }

    /// <exception cref="UsageException">No training program found.</exception>
    public static TrainingProgram Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new TrainingProgram(configured, []);
        }

        var here = AppContext.BaseDirectory;
        var beside = Path.Combine(here, DllName);
        var sibling = Path.GetFullPath(Path.Combine(here, "..", "..", "Landslide.Training.Job", new DirectoryInfo(here).Name, DllName));
        foreach (var dll in new[] { sibling, beside })
        {
            if (File.Exists(dll))
            {
                // The dotnet host this process runs on, when it runs on one (dotnet landslide.dll).
                var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
                return new TrainingProgram(host, [dll]);
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "landslide-train")).FirstOrDefault(File.Exists);
        return onPath is not null
            ? new TrainingProgram(onPath, [])
            : throw new UsageException(
                $"landslide-train not found (looked in {Path.GetDirectoryName(sibling)} and beside landslide.dll): build it with "
                + "`dotnet build src/Landslide.Training.Job -c Release` (./landslide train does), or name it with --train-command / LANDSLIDE_Training__Command");
    }

    /// <summary>The command line after <see cref="Command"/>: the prefix and <paramref name="arguments"/>, quoted where needed.</summary>
    public string Arguments(IEnumerable<string> arguments) => string.Join(' ', Prefix.Concat(arguments).Select(Quote));

    /// <summary>Quotes one argument for ProcessStartInfo.Arguments (the same rules on every OS: backslashes are literal except before a quote).</summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"'))
        {
            return argument;
        }

        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            // Backslashes before a quote are doubled, and the quote escaped; elsewhere they stay as they are.
            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
