using System.Text.Json;
using System.Text.RegularExpressions;

namespace Landslide.InferenceServer.Models;

/// <summary>What models/current.json names, with a tag that changes whenever the file does.</summary>
public sealed partial record ModelPointer(string Version, string ETag)
{
    /// <summary>Largest pointer file read; a real one is about 30 bytes.</summary>
    public const int MaxBytes = 4096;

    /// <summary>
    /// Parses current.json as every registry writes it, <c>{"version": "..."}</c>. Anything else (another JSON root,
    /// a missing or non-string version, a version that is not a plain folder name such as <c>../x</c>, a file over
    /// <see cref="MaxBytes"/>, broken JSON) is a <see cref="ModelPointerException"/> naming what is wrong.
    /// </summary>
    public static ModelPointer Parse(ReadOnlySpan<byte> json, string tag)
    {
        if (json.Length > MaxBytes)
        {
            throw new ModelPointerException(tag, $"current.json is {json.Length} bytes; a pointer is at most {MaxBytes}");
        }

        string? version;
        try
        {
            // Parse (not ParseValue): trailing content after the object makes the file invalid too.
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelPointerException(tag, $"current.json must be a JSON object {{\"version\": \"...\"}}, its root is {Describe(root.ValueKind)}");
            }

            if (!root.TryGetProperty("version", out var element) || element.ValueKind != JsonValueKind.String)
            {
                throw new ModelPointerException(tag, "current.json has no string \"version\"");
            }

            version = element.GetString();
        }
        catch (JsonException ex)
        {
            throw new ModelPointerException(tag, $"current.json is not valid JSON ({ex.Message})", ex);
        }
        catch (InvalidOperationException ex)
        {
            // GetString on a string that is not valid UTF-8.
            throw new ModelPointerException(tag, $"current.json is not valid UTF-8 JSON ({ex.Message})", ex);
        }

        if (!IsPlainVersion(version))
        {
            throw new ModelPointerException(tag, $"current.json names version '{Printable(version)}', which is not a plain folder name (letters, digits, '.', '_', '-'; 1-128 characters, starting with a letter or digit)");
        }

        return new ModelPointer(version, tag);
    }

    /// <summary>True for a version usable as one folder name: letters, digits, '.', '_', '-', 1-128 characters, starting with a letter or digit.</summary>
    public static bool IsPlainVersion([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? version) => version is not null && VersionName().IsMatch(version);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    // A version is echoed in logs and /readyz: keep it short and free of control characters.
    private static string Printable(string? value) => value is null ? "" : new string([.. value.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionName();
}
