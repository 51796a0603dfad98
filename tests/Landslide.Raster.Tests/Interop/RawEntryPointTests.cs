using System.Text.RegularExpressions;

namespace Landslide.Raster.Tests.Interop;

/// <summary>
/// GDAL's C entry points stay behind the wrappers of src/Landslide.Raster/Interop (GdalDataset, GdalBand, OgrLayer,
/// OgrFeature, ...): no source elsewhere names a binding class or calls an entry point, and feature fields are set
/// only through OgrFeature, by an OgrField looked up by name, never by a positional index.
/// </summary>
public sealed partial class RawEntryPointTests
{
    private static readonly string Interop = Path.Combine("src", "Landslide.Raster", "Interop");

    [Fact]
    public void NoSourceOutsideInterop_CallsAGdalEntryPointOrNamesABindingClass()
    {
        var root = RepositoryFiles.Root();
        var (classes, entryPoints) = Bindings(root);
        Assert.Contains("Gdal", classes);
        Assert.True(entryPoints.Count > 50, $"found only {entryPoints.Count} entry points under {Interop}; is the scan still reading the bindings?");
        Assert.Contains("OGR_F_SetFieldDouble", entryPoints);

        var classUse = new Regex($@"\b({string.Join('|', classes)})\.[A-Za-z_]", RegexOptions.CultureInvariant);
        var call = new Regex($@"\b({string.Join('|', entryPoints)})\s*\(", RegexOptions.CultureInvariant);
        var offenders = new List<string>();
        foreach (var file in Sources(root).Where(f => !Path.GetRelativePath(root, f).StartsWith(Interop + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = StripComment(lines[i]);
                if (classUse.Match(code) is { Success: true } c)
                {
                    offenders.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {c.Value}");
                }
                else if (call.Match(code) is { Success: true } e)
                {
                    offenders.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {e.Value}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "raw GDAL calls outside " + Interop + ":\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void FeatureFields_AreSetAndReadOnlyThroughOgrFeature_ByAnOgrField()
    {
        var root = RepositoryFiles.Root();
        var fieldCall = FieldCall();
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, Interop), "*.cs"))
        {
            var isFeature = Path.GetFileName(file) == "OgrFeature.cs";
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var match = fieldCall.Match(StripComment(lines[i]));
                if (!match.Success || lines[i].Contains("partial", StringComparison.Ordinal))
                {
                    continue;
                }

                if (!isFeature || match.Groups["index"].Value != "field.Index")
                {
                    offenders.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "feature fields touched other than by OgrFeature with an OgrField:\n" + string.Join('\n', offenders));
    }

    /// <summary>The classes that bind GDAL entry points for others to call, and the entry points' names.</summary>
    private static (List<string> Classes, List<string> EntryPoints) Bindings(string root)
    {
        var classes = new List<string>();
        var entryPoints = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, Interop), "*.cs"))
        {
            var text = File.ReadAllText(file);
            var names = EntryPoint().Matches(text).Where(m => m.Groups["access"].Value != "private").Select(m => m.Groups["name"].Value).ToList();
            if (names.Count > 0)
            {
                entryPoints.AddRange(names);
                classes.AddRange(ClassName().Matches(text).Select(m => m.Groups[1].Value));
            }
        }

        return (classes.Distinct().ToList(), entryPoints.Distinct().ToList());
    }

    private static IEnumerable<string> Sources(string root)
        => Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string StripComment(string line)
    {
        var comment = line.IndexOf("//", StringComparison.Ordinal);
        return comment >= 0 ? line[..comment] : line;
    }

    [GeneratedRegex(@"\[(?:LibraryImport|DllImport)\([^\]]*\)\]\s*(?<access>public|internal|private)?\s*static\s+(?:unsafe\s+)?(?:extern\s+)?(?:partial\s+)?[\w<>\*\?]+\s+(?<name>\w+)\s*\(")]
    private static partial Regex EntryPoint();

    [GeneratedRegex(@"\bclass\s+(\w+)")]
    private static partial Regex ClassName();

    [GeneratedRegex(@"\bOGR_F_(?:Set|Get)Field\w*\(\s*[^,]+,\s*(?<index>[^,)]+)")]
    private static partial Regex FieldCall();
}
