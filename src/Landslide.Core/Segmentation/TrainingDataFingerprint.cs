using System.Security.Cryptography;
using System.Text;

namespace Landslide.Core.Segmentation;

/// <summary>
/// The data fingerprint a model records and the retrain schedule compares: SHA-256 over every training item's name
/// and content hash, in ordinal name order. Both the training job and the schedule (which loads no ML code) use this.
/// </summary>
public static class TrainingDataFingerprint
{
    /// <summary>Content hash of a labelled pair from the SHA-256 of its scene and of its label raster.</summary>
    public static string PairHash(string sceneSha256, string labelsSha256) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{sceneSha256}:{labelsSha256}")));

    /// <summary>"sha256:..." over "name:hash" lines, sorted by name.</summary>
    public static string Compute(IEnumerable<(string Name, string Hash)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var lines = items.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => $"{i.Name}:{i.Hash}");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }
}
