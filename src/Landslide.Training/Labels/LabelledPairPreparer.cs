using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Landslide.Core.Scenes;
using Landslide.Raster.Labels;
using Landslide.Raster.Scenes;

namespace Landslide.Training.Labels;

/// <summary>
/// Checks a scene + labels pair the way `training add` does and writes the label raster on the scene's grid:
/// the scene must pass the mapping contract (<see cref="SceneValidator"/>, band profile); labels are a uint8 raster on
/// the same grid and CRS (1 landslide, 0 background, 255 unlabelled) or polygons in any CRS, burned with GDAL. Each
/// problem is a <see cref="LabelRejectedException"/> (or <see cref="SceneRejectedException"/>) with its own code.
/// </summary>
public static partial class LabelledPairPreparer
{
    /// <summary>Checks the pair and writes <c>labels.tif</c> into <paramref name="workDirectory"/>.</summary>
    public static PreparedPair Prepare(string scenePath, string labelsPath, string bandProfile, string? name, string workDirectory, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scenePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        var pairName = name ?? Path.GetFileNameWithoutExtension(scenePath);
        if (!PairName().IsMatch(pairName))
        {
            throw new LabelRejectedException(LabelError.BadName, $"pair name '{pairName}' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit (give one with --name)");
        }

        var profile = BandProfile.Parse(bandProfile);
        SceneInfo scene;
        using (var raster = RasterScene.Open(scenePath))
        {
            scene = raster.Info;
            new SceneValidator().Validate(scene);
        }

        if (!File.Exists(labelsPath))
        {
            throw new LabelRejectedException(LabelError.LabelsNotFound, $"labels file '{labelsPath}' does not exist");
        }

        Directory.CreateDirectory(workDirectory);
        var output = Path.Combine(workDirectory, LabelledPairManifest.LabelsFile);
        var isVector = PolygonLabelRasterizer.IsVector(labelsPath);
        var counts = isVector ? FromPolygons(labelsPath, scene, output) : FromRaster(labelsPath, scene, output);
        var manifest = new LabelledPairManifest
        {
            Name = pairName,
            BandProfile = profile.Name,
            Width = scene.Width,
            Height = scene.Height,
            Epsg = scene.Epsg,
            LabelSource = isVector ? "polygons" : "raster",
            LabelFile = Path.GetFileName(labelsPath),
            LabelFileSha256 = Sha256(labelsPath),
            SceneSha256 = Sha256(scenePath),
            LabelsSha256 = Sha256(output),
            LandslidePixels = counts.Landslide,
            BackgroundPixels = counts.Background,
            UnlabelledPixels = counts.Unlabelled,
            LandslidePolygons = isVector ? counts.LandslideFeatures : null,
            LabelledAreaPolygons = isVector ? counts.AreaFeatures : null,
            AddedAt = (time ?? TimeProvider.System).GetUtcNow(),
        };
        return new PreparedPair(scenePath, output, manifest);
    }

    /// <summary>Lower-case hex SHA-256 of a file, streamed.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static LabelCounts FromPolygons(string path, SceneInfo scene, string output)
    {
        LabelCounts counts;
        try
        {
            counts = PolygonLabelRasterizer.Rasterize(path, scene, output);
        }
        catch (InvalidDataException e)
        {
            throw new LabelRejectedException(LabelError.UnreadableLabels, e.Message, e);
        }

        if (counts.LandslideFeatures + counts.AreaFeatures == 0)
        {
            throw new LabelRejectedException(LabelError.EmptyLabels, $"'{path}' has no polygons: draw the landslides (and optionally a '{LabelValues.LabelledArea}' polygon)");
        }

        if (counts.Labelled == 0 || (counts.LandslideFeatures > 0 && counts.Landslide == 0))
        {
            throw new LabelRejectedException(LabelError.NoOverlap, $"the polygons in '{path}' do not fall on the scene ({scene.Width} x {scene.Height} px at {scene.GeoTransform.OriginX}, {scene.GeoTransform.OriginY}); check their CRS and location");
        }

        return counts;
    }

    private static LabelCounts FromRaster(string path, SceneInfo scene, string output)
    {
        SceneInfo labels;
        try
        {
            using var raster = RasterScene.Open(path);
            labels = raster.Info;
        }
        catch (SceneRejectedException e)
        {
            throw new LabelRejectedException(LabelError.UnreadableLabels, $"'{path}' is neither a raster nor vector data GDAL reads: {e.Message}", e);
        }

        if (labels.BandCount != 1)
        {
            throw new LabelRejectedException(LabelError.NotOneBand, $"the label raster '{path}' has {labels.BandCount} bands; expected one band of 0/1/255");
        }

        if (labels.Width != scene.Width || labels.Height != scene.Height || labels.GeoTransform != scene.GeoTransform)
        {
            throw new LabelRejectedException(
                LabelError.GridMismatch,
                $"the label raster '{path}' is not on the scene's grid: scene {scene.Width} x {scene.Height} at {scene.GeoTransform}, labels {labels.Width} x {labels.Height} at {labels.GeoTransform}");
        }

        if (!LabelRasterReader.SameCrs(scene.CrsWkt, labels.CrsWkt))
        {
            throw new LabelRejectedException(LabelError.CrsMismatch, $"the label raster '{path}' is in another CRS (EPSG {labels.Epsg?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}) than the scene (EPSG {scene.Epsg?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})");
        }

        var counts = LabelRasterReader.Count(path);
        if (counts.Other > 0)
        {
            throw new LabelRejectedException(LabelError.BadLabelValues, $"the label raster '{path}' has {counts.Other} pixels that are not 0 (background), 1 (landslide) or 255 (unlabelled)");
        }

        if (counts.Labelled == 0)
        {
            throw new LabelRejectedException(LabelError.EmptyLabels, $"the label raster '{path}' labels no pixel (all 255)");
        }

        LabelRasterReader.CopyAsLabels(path, scene, output);
        return counts;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex PairName();
}
