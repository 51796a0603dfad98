using Landslide.Core.Scenes;
using Landslide.Raster.Interop;

namespace Landslide.Raster.Labels;

/// <summary>
/// Burns landslide polygons (GeoJSON, GeoPackage, any OGR vector format, any CRS: GDAL reprojects to the scene's)
/// into a uint8 label GeoTIFF on a scene's grid: 1 inside a landslide polygon, 0 background, 255 unlabelled.
/// Without a labelled-area polygon the whole scene counts as labelled (no polygon = background). A labelled area is a
/// layer named <c>labelled-area</c>, or features whose <c>role</c> field is <c>labelled-area</c>; outside it pixels
/// are unlabelled.
/// </summary>
public static class PolygonLabelRasterizer
{
    private const string AreaFilter = "role = '" + LabelValues.LabelledArea + "'";
    private const string LandslideFilter = "role IS NULL OR role <> '" + LabelValues.LabelledArea + "'";

    /// <summary>True when GDAL opens <paramref name="path"/> as a vector dataset with at least one layer.</summary>
    public static bool IsVector(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var dataset = GdalDataset.TryOpen(path, vector: true);
        return dataset is not null && dataset.LayerCount > 0;
    }

    /// <summary>Writes the label raster for <paramref name="scene"/>'s grid to <paramref name="outputPath"/> and counts it.</summary>
    /// <exception cref="InvalidDataException">GDAL cannot read <paramref name="vectorPath"/> as vector data.</exception>
    /// <exception cref="GdalException">Reprojecting or burning failed.</exception>
    public static LabelCounts Rasterize(string vectorPath, SceneInfo scene, string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vectorPath);
        ArgumentNullException.ThrowIfNull(scene);
        GdalRuntime.EnsureInitialized();
        GdalRuntime.ResetErrors();
        using var vector = GdalDataset.TryOpen(vectorPath, vector: true);
        if (vector is null || vector.LayerCount == 0)
        {
            throw new InvalidDataException($"'{vectorPath}' is not a vector file GDAL reads ({GdalRuntime.LastErrorMessage("no layers")})");
        }

        var landslideLayers = new List<(OgrLayer Layer, string? Filter)>();
        var areaLayers = new List<(OgrLayer Layer, string? Filter)>();
        int landslideFeatures = 0, areaFeatures = 0;
        for (var i = 0; i < vector.LayerCount; i++)
        {
            var layer = vector.Layer(i);
            var name = layer.Name;
            if (string.Equals(name, LabelValues.LabelledArea, StringComparison.OrdinalIgnoreCase))
            {
                areaFeatures += Count(layer, null);
                areaLayers.Add((layer, null));
                continue;
            }

            var hasRole = layer.FindField("role") is not null;
            if (hasRole)
            {
                var area = Count(layer, AreaFilter);
                if (area > 0)
                {
                    areaFeatures += area;
                    areaLayers.Add((layer, AreaFilter));
                }

                landslideFeatures += Count(layer, LandslideFilter);
                landslideLayers.Add((layer, LandslideFilter));
            }
            else
            {
                landslideFeatures += Count(layer, null);
                landslideLayers.Add((layer, null));
            }
        }

        _ = GdalRuntime.Driver("GTiff");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath)) ?? ".");
        using (var raster = GdalDataset.Create(
            "GTiff", outputPath, scene.Width, scene.Height, 1, BandDataType.Byte, ["TILED=YES", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER"], $"label raster '{outputPath}'"))
        {
            raster.Georeference(scene, outputPath);
            var band = raster.Band(1);
            band.SetNoData(LabelValues.Unlabelled, "setting the label nodata");
            band.Fill(areaLayers.Count > 0 ? LabelValues.Unlabelled : LabelValues.Background, "filling the label raster");
            Burn(raster, areaLayers, LabelValues.Background);
            Burn(raster, landslideLayers, LabelValues.Landslide);
            raster.FlushCache();
        }

        foreach (var (layer, _) in landslideLayers.Concat(areaLayers))
        {
            layer.SetAttributeFilter(null);
        }

        return LabelRasterReader.Count(outputPath) with { LandslideFeatures = landslideFeatures, AreaFeatures = areaFeatures };
    }

    private static int Count(OgrLayer layer, string? filter)
    {
        layer.SetAttributeFilter(filter);
        return (int)layer.FeatureCount();
    }

    private static void Burn(GdalDataset raster, List<(OgrLayer Layer, string? Filter)> layers, byte value)
    {
        foreach (var (layer, filter) in layers)
        {
            layer.SetAttributeFilter(filter);
            GdalRuntime.Check(raster.Rasterize(layer, value, options: null, progress: null), "burning polygons into the label raster");
        }
    }
}
