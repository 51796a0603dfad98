namespace Landslide.Infrastructure.Tests;

/// <summary>
/// App settings the code reads, as found in its syntax.
/// Readable: every name the code would pick up (list indexes written as __0__).
/// Required: names that must be set ([Required] options properties, %NAME% expressions, configuration["NAME"]).
/// Connections: trigger/binding connection names; "X" is satisfied by settings X or X__*.
/// Declarations: the options class and property each bound (readable) setting comes from.
/// </summary>
internal sealed record CodeSettings(
    IReadOnlySet<string> Readable,
    IReadOnlySet<string> Required,
    IReadOnlySet<string> Connections,
    IReadOnlyDictionary<string, SettingDeclaration> Declarations)
{
    /// <summary>True when the code would read <paramref name="setting"/> (any list index matches __0__).</summary>
    public bool Reads(string setting)
    {
        var normalized = AppSettingsScanner.NormalizeIndexes(setting);
        return Readable.Contains(normalized) || Required.Contains(normalized) || Connections.Any(c => IsConnectionSetting(c, setting));
    }

    public static bool IsConnectionSetting(string connection, string setting) =>
        string.Equals(setting, connection, StringComparison.Ordinal)
        || setting.StartsWith(connection + "__", StringComparison.Ordinal);
}
