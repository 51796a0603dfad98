using System.Text.RegularExpressions;

namespace Landslide.Infrastructure.Tests;

/// <summary>
/// docs/SETTINGS.md: the setting names of its "Read by the code" (set by the Bicep), "Optional" (read by the code,
/// default in code), "Read by the Functions host" and "Read by `landslide serve` only" tables.
/// </summary>
internal sealed partial record SettingsDocument(IReadOnlySet<string> Code, IReadOnlySet<string> Host, IReadOnlySet<string> Optional, IReadOnlySet<string> Serve)
{
    public static SettingsDocument Load(string path)
    {
        var code = new HashSet<string>(StringComparer.Ordinal);
        var host = new HashSet<string>(StringComparer.Ordinal);
        var optional = new HashSet<string>(StringComparer.Ordinal);
        var serve = new HashSet<string>(StringComparer.Ordinal);
        HashSet<string>? current = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = line.StartsWith("## Read by the code", StringComparison.Ordinal) ? code
                    : line.StartsWith("## Read by the Functions host", StringComparison.Ordinal) ? host
                    : line.StartsWith("## Optional", StringComparison.Ordinal) ? optional
                    : line.StartsWith("## Read by `landslide serve`", StringComparison.Ordinal) ? serve
                    : null;
                continue;
            }

            var match = FirstCell().Match(line);
            if (current is not null && match.Success)
            {
                current.Add(match.Groups[1].Value);
            }
        }

        return new SettingsDocument(code, host, optional, serve);
    }

    [GeneratedRegex(@"^\|\s*`([^`]+)`\s*\|")]
    private static partial Regex FirstCell();
}
