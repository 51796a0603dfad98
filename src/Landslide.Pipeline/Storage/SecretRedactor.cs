using System.Text.RegularExpressions;

namespace Landslide.Pipeline.Storage;

/// <summary>
/// Removes credentials from text that leaves the process as a status, a table value, error.json or a log line: SAS
/// signatures (sig=...), account keys and SAS tokens in connection strings. GDAL and the Azure SDK put full URLs
/// (with the read SAS of a scene) into their messages, so every failure text passes through here.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "REDACTED";

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = Signature().Replace(text, "${key}=" + Mask);
        return ConnectionSecret().Replace(text, "${key}=" + Mask);
    }

    // sig=..., also URL-encoded inside another URL (sig%3D...).
    [GeneratedRegex(@"(?<key>sig)(=|%3D)[^&\s'""\\]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Signature();

    [GeneratedRegex(@"(?<key>AccountKey|SharedAccessSignature|SharedAccessKey)=[^;\s'""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionSecret();
}
