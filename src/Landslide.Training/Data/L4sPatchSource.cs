using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Landslide.Core.Features;
using Landslide.Core.Segmentation;

namespace Landslide.Training.Data;

/// <summary>
/// Landslide4Sense patches in a folder with <c>img/image_N.h5</c> and <c>mask/mask_N.h5</c>; ids are the numbers N.
/// </summary>
public sealed class L4sPatchSource : ILabelledTileSource
{
    private readonly string _folder;

    public L4sPatchSource(string folder, IEnumerable<int>? ids = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _folder = folder;
        var imageFolder = Path.Combine(folder, "img");
        if (!Directory.Exists(imageFolder))
        {
            throw new TrainingDataException(TrainingDataError.FileNotFound, $"{imageFolder} does not exist");
        }

        var available = Directory.EnumerateFiles(imageFolder, "image_*.h5")
            .Select(p => Path.GetFileNameWithoutExtension(p)["image_".Length..])
            .Where(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
            .ToHashSet();
        var chosen = ids?.ToList() ?? [.. available];
        var missing = chosen.Where(id => !available.Contains(id)).ToList();
        if (missing.Count > 0)
        {
            throw new TrainingDataException(TrainingDataError.FileNotFound, $"{imageFolder} lacks image_{string.Join(", image_", missing)}.h5");
        }

        Ids = [.. chosen.Distinct().Order().Select(id => id.ToString(CultureInfo.InvariantCulture))];
    }

    public IReadOnlyList<string> Ids { get; }

    public LabelledTile Load(string id)
    {
        var bands = L4sPatchReader.ReadBands(ImagePath(id));
        var mask = L4sPatchReader.ReadMask(MaskPath(id));
        var features = new float[ModelContract.FeatureValuesPerTile];
        FeatureExtractor.Compute(bands, features);
        LabelledTile.Validate(id, features, mask);
        return new LabelledTile(id, features, mask);
    }

    public string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var id in Ids)
        {
            foreach (var path in new[] { ImagePath(id), MaskPath(id) })
            {
                hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(path)));
                hash.AppendData(File.ReadAllBytes(path));
            }
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private string ImagePath(string id) => Path.Combine(_folder, "img", $"image_{id}.h5");

    private string MaskPath(string id) => Path.Combine(_folder, "mask", $"mask_{id}.h5");
}
