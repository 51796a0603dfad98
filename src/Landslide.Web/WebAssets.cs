using System.Collections.Concurrent;

namespace Landslide.Web;

/// <summary>The pages, the bundle and the styles, embedded in this assembly: a host needs no wwwroot folder on disk.</summary>
internal static class WebAssets
{
    private static readonly ConcurrentDictionary<string, byte[]?> Cache = new(StringComparer.Ordinal);

    public static byte[]? Get(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream("wwwroot/" + n);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".html" => "text/html; charset=utf-8",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
