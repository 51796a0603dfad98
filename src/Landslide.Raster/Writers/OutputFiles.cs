namespace Landslide.Raster.Writers;

/// <summary>Temporary names beside an output, so a finished file appears under its final name in one rename.</summary>
internal static class OutputFiles
{
    public static string Sibling(string path, string suffix)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{suffix}");
    }

    public static void TryDelete(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file must not hide the real error.
        }
    }
}
