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
        GdalRuntime.EnsureInitialized();
        using var dataset = Gdal.GDALOpenEx(path, Gdal.OfVector | Gdal.OfReadOnly, 0, 0, 0);
        return !dataset.IsInvalid && OgrLayers.GDALDatasetGetLayerCount(dataset) > 0;
    }

    /// <summary>Writes the label raster for <paramref name="scene"/>'s grid to <paramref name="outputPath"/> and counts it.</summary>
    /// <exception cref="InvalidDataException">GDAL cannot read <paramref name="vectorPath"/> as vector data.</exception>
    /// <exception cref="GdalException">Reprojecting or burning failed.</exception>
    public static unsafe LabelCounts Rasterize(string vectorPath, SceneInfo scene, string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vectorPath);
        ArgumentNullException.ThrowIfNull(scene);
        GdalRuntime.EnsureInitialized();
        Gdal.CPLErrorReset();
        using var vector = Gdal.GDALOpenEx(vectorPath, Gdal.OfVector | Gdal.OfReadOnly, 0, 0, 0);
        if (vector.IsInvalid || OgrLayers.GDALDatasetGetLayerCount(vector) == 0)
        {
            throw new InvalidDataException($"'{vectorPath}' is not a vector file GDAL reads ({GdalRuntime.LastErrorMessage("no layers")})");
        }

        var landslideLayers = new List<(nint Layer, string? Filter)>();
        var areaLayers = new List<(nint Layer, string? Filter)>();
        int landslideFeatures = 0, areaFeatures = 0;
        for (var i = 0; i < OgrLayers.GDALDatasetGetLayerCount(vector); i++)
        {
            var layer = OgrLayers.GDALDatasetGetLayer(vector, i);
            var name = Gdal.PtrToString(OgrLayers.OGR_L_GetName(layer));
            if (string.Equals(name, LabelValues.LabelledArea, StringComparison.OrdinalIgnoreCase))
            {
                areaFeatures += Count(layer, null);
                areaLayers.Add((layer, null));
                continue;
            }

            var hasRole = Ogr.OGR_FD_GetFieldIndex(Ogr.OGR_L_GetLayerDefn(layer), "role") >= 0;
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

        var driver = GdalRuntime.Driver("GTiff");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath)) ?? ".");
        using var options = new StringList("TILED=YES", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER");
        using (var raster = Gdal.GDALCreate(driver, outputPath, scene.Width, scene.Height, 1, Gdal.GdtByte, options.Handle))
        {
            if (raster.IsInvalid)
            {
                throw GdalRuntime.Failure($"creating label raster '{outputPath}'");
            }

            Writers.GeoTiffWriter.Georeference(raster, scene, outputPath);
            var band = Gdal.GDALGetRasterBand(raster, 1);
            GdalRuntime.Check(Gdal.GDALSetRasterNoDataValue(band, LabelValues.Unlabelled), "setting the label nodata");
            GdalRuntime.Check(OgrLayers.GDALFillRaster(band, areaLayers.Count > 0 ? LabelValues.Unlabelled : LabelValues.Background, 0), "filling the label raster");
            Burn(raster, areaLayers, LabelValues.Background);
            Burn(raster, landslideLayers, LabelValues.Landslide);
            Gdal.GDALFlushCache(raster);
        }

        foreach (var (layer, _) in landslideLayers.Concat(areaLayers))
        {
            _ = OgrLayers.OGR_L_SetAttributeFilter(layer, null);
        }

        return LabelRasterReader.Count(outputPath) with { LandslideFeatures = landslideFeatures, AreaFeatures = areaFeatures };
    }

    private static int Count(nint layer, string? filter)
    {
        if (OgrLayers.OGR_L_SetAttributeFilter(layer, filter) != Ogr.OgrErrNone)
        {
            throw GdalRuntime.Failure($"filtering layer with '{filter}'");
        }

        return (int)Ogr.OGR_L_GetFeatureCount(layer, 1);
    }

    private static unsafe void Burn(DatasetHandle raster, List<(nint Layer, string? Filter)> layers, byte value)
    {
        var bands = stackalloc int[1] { 1 };
        var burn = stackalloc double[1] { value };
        var handles = stackalloc nint[1];
        foreach (var (layer, filter) in layers)
        {
            if (OgrLayers.OGR_L_SetAttributeFilter(layer, filter) != Ogr.OgrErrNone)
            {
                throw GdalRuntime.Failure($"filtering layer with '{filter}'");
            }

            handles[0] = layer;
            Gdal.CPLErrorReset();
            GdalRuntime.Check(Gdal.GDALRasterizeLayers(raster, 1, bands, 1, handles, 0, 0, burn, 0, 0, 0), "burning polygons into the label raster");
        }
    }
}
