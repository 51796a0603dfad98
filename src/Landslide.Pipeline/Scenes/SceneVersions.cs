using Azure.Storage.Blobs.Models;

namespace Landslide.Pipeline.Scenes;

/// <summary>
/// The version of a scene blob that keys its run: the content MD5 when the service has one (so re-uploading the
/// same bytes is the same version), else the ETag.
/// </summary>
public static class SceneVersions
{
    public static string Of(BlobProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return Of(properties.ContentHash, properties.ETag.ToString());
    }

    /// <summary>The same rule for a listing item (no extra request per blob).</summary>
    public static string Of(BlobItemProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return Of(properties.ContentHash, properties.ETag?.ToString() ?? string.Empty);
    }

    private static string Of(byte[]? md5, string etag) => md5 is { Length: > 0 } ? "md5-" + Convert.ToHexStringLower(md5) : etag;
}
