using System.Security.Cryptography;
using System.Text;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// Run ids: scene name + scene version (blob ETag, or size and time for a local file) + model version. The same
/// inputs always give the same id, so a redelivered message or a re-uploaded identical scene maps to the same run.
/// </summary>
public static class RunIds
{
    public static string Create(string scene, string sceneVersion, string modelVersion)
    {
        var key = $"{scene}\n{sceneVersion}\n{modelVersion}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
