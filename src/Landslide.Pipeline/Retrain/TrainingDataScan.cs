using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Landslide.Core.Segmentation;

namespace Landslide.Pipeline.Retrain;

/// <summary>
/// What is in training/ now, as the training job will fingerprint it (Landslide.Core's <see cref="TrainingDataFingerprint"/>):
/// labelled pairs by their manifest's scene and label hashes, Landslide4Sense patches (img/image_N.h5 + mask/mask_N.h5)
/// as "l4s/N" by their blob MD5s. The schedule compares it with the current model's fingerprint without loading any ML code.
/// </summary>
public static partial class TrainingDataScan
{
    public static async Task<IReadOnlyDictionary<string, string>> ItemsAsync(BlobContainerClient training, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(training);
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        var images = new Dictionary<int, BlobItem>();
        var masks = new Dictionary<int, BlobItem>();
        await foreach (var blob in training.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var parts = blob.Name.Split('/');
            if (parts.Length == 2 && parts[1] == "manifest.json")
            {
                var content = (await training.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
                using var manifest = JsonDocument.Parse(content.ToMemory());
                if (manifest.RootElement.TryGetProperty("scene_sha256", out var scene) && manifest.RootElement.TryGetProperty("labels_sha256", out var labels))
                {
                    items[parts[0]] = TrainingDataFingerprint.PairHash(scene.GetString() ?? string.Empty, labels.GetString() ?? string.Empty);
                }

                continue;
            }

            var match = PatchFile().Match(blob.Name);
            if (match.Success && int.TryParse(match.Groups["id"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                (match.Groups["kind"].Value == "img" ? images : masks)[id] = blob;
            }
        }

        foreach (var id in images.Keys.Where(masks.ContainsKey))
        {
            items[FormattableString.Invariant($"l4s/{id}")] = $"md5:{Hash(images[id])}:{Hash(masks[id])}";
        }

        return items;
    }

    private static string Hash(BlobItem blob) => blob.Properties.ContentHash is { Length: > 0 } md5
        ? Convert.ToHexStringLower(md5)
        : blob.Properties.ETag?.ToString() ?? string.Empty;

    [GeneratedRegex(@"^(?:.*/)?(?<kind>img|mask)/(?:image|mask)_(?<id>[0-9]+)\.h5$")]
    private static partial Regex PatchFile();
}
