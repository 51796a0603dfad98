using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Landslide.Training.Labels;

namespace Landslide.Training.Storage;

/// <summary>
/// The training/ container: labelled pairs under <c>{name}/</c> (scene.tif, labels.tif, manifest.json written last)
/// and Landslide4Sense patches in their HDF5 layout (<c>[prefix/]img/image_N.h5</c> + <c>mask/mask_N.h5</c>).
/// </summary>
public sealed partial class TrainingStore(BlobContainerClient container)
{
    public BlobContainerClient Container { get; } = container;

    /// <summary>Uploads a prepared pair; the manifest goes last and only if no pair of that name exists.</summary>
    /// <exception cref="LabelRejectedException"><see cref="LabelError.NameTaken"/>.</exception>
    public async Task UploadAsync(PreparedPair pair, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var name = pair.Manifest.Name;
        var manifest = Container.GetBlobClient($"{name}/{LabelledPairManifest.FileName}");
        if (await manifest.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw Taken(name);
        }

        await Container.GetBlobClient($"{name}/{LabelledPairManifest.SceneFile}").UploadAsync(pair.ScenePath, overwrite: true, cancellationToken).ConfigureAwait(false);
        await Container.GetBlobClient($"{name}/{LabelledPairManifest.LabelsFile}").UploadAsync(pair.LabelsPath, overwrite: true, cancellationToken).ConfigureAwait(false);
        try
        {
            await manifest.UploadAsync(
                BinaryData.FromObjectAsJson(pair.Manifest, new JsonSerializerOptions { WriteIndented = true }),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw Taken(name);
        }
    }

    /// <summary>Every complete labelled pair (a folder with manifest.json), by name.</summary>
    public async Task<IReadOnlyList<LabelledPairManifest>> ListPairsAsync(CancellationToken cancellationToken)
    {
        var pairs = new List<LabelledPairManifest>();
        await foreach (var blob in Container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var parts = blob.Name.Split('/');
            if (parts.Length != 2 || parts[1] != LabelledPairManifest.FileName)
            {
                continue;
            }

            var content = (await Container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            var manifest = content.ToObjectFromJson<LabelledPairManifest>();
            if (manifest is not null)
            {
                pairs.Add(manifest with { Name = parts[0] });
            }
        }

        return [.. pairs.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>Landslide4Sense patches with both image and mask present, by id.</summary>
    public async Task<IReadOnlyList<L4sBlobPatch>> ListL4sPatchesAsync(CancellationToken cancellationToken)
    {
        var images = new Dictionary<int, BlobItem>();
        var masks = new Dictionary<int, BlobItem>();
        await foreach (var blob in Container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var match = PatchFile().Match(blob.Name);
            if (match.Success && int.TryParse(match.Groups["id"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                (match.Groups["kind"].Value == "img" ? images : masks)[id] = blob;
            }
        }

        return [.. images.Keys.Where(masks.ContainsKey).Order().Select(id => new L4sBlobPatch(
            id, images[id].Name, masks[id].Name, $"md5:{Hash(images[id])}:{Hash(masks[id])}"))];
    }

    private static string Hash(BlobItem blob) => blob.Properties.ContentHash is { Length: > 0 } md5
        ? Convert.ToHexStringLower(md5)
        : blob.Properties.ETag?.ToString() ?? string.Empty;

    private static LabelRejectedException Taken(string name) =>
        new(LabelError.NameTaken, $"training/{name}/ already holds a labelled pair; choose another --name");

    [GeneratedRegex(@"^(?:.*/)?(?<kind>img|mask)/(?:image|mask)_(?<id>[0-9]+)\.h5$")]
    private static partial Regex PatchFile();
}
