using System.Buffers;
using Landslide.Core.Scenes;
using Landslide.Raster.Interop;
using Landslide.Raster.Scenes;
using Landslide.Raster.Writers;

namespace Landslide.Raster.Polygons;

/// <summary>
/// Turns a landslide mask into RFC 7946 GeoJSON polygons (WGS84, lon/lat) with per-polygon statistics.
/// </summary>
/// <remarks>
/// Memory stays bounded by the number of detections, not the scene size:
/// <list type="number">
/// <item>the mask is streamed in row blocks into a temporary 0/1 raster (255 nodata and 0 both become 0);</item>
/// <item>GDALPolygonize (8-connected) traces it line by line into an in-memory layer that holds only the
///   detected polygons;</item>
/// <item>each polygon's label is burned into a temporary Int32 raster on disk (GDALRasterizeLayers; polygon edges
///   lie on pixel edges, so centre-inside rasterisation gives back exactly the polygon's pixels);</item>
/// <item>labels and probabilities are streamed together in row blocks to accumulate count, mean and max per polygon
///   in arrays sized by the polygon count.</item>
/// </list>
/// Areas are measured in the scene's projected CRS before the geometries are reprojected to WGS84.
/// </remarks>
public static class LandslidePolygonizer
{
    /// <summary>Writes <paramref name="geoJsonPath"/> from a mask (uint8 0/1, 255 nodata) and a probability raster on the same grid.</summary>
    /// <param name="maskPath">uint8 mask: 1 = landslide.</param>
    /// <param name="probabilityPath">uint8 (0-255, scaled to 0-1) or float32 (0-1) probability.</param>
    /// <param name="geoJsonPath">Output; replaced atomically.</param>
    /// <param name="options">Minimum area and block size.</param>
    /// <param name="cancellationToken">Checked by GDAL's long calls and between row blocks.</param>
    /// <exception cref="ArgumentException">The rasters are not on the same grid or the mask is not one uint8 band.</exception>
    /// <exception cref="SceneRejectedException">The mask has no CRS or a geographic one (areas need metres).</exception>
    public static unsafe PolygonSummary Write(
        string maskPath,
        string probabilityPath,
        string geoJsonPath,
        PolygonizeOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(geoJsonPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MinAreaM2);

        SceneInfo grid;
        using (var mask = RasterScene.Open(maskPath))
        using (var probability = RasterScene.Open(probabilityPath))
        {
            grid = mask.Info;
            CheckInputs(mask, probability);
        }

        var binaryPath = OutputFiles.Sibling(geoJsonPath, ".binary.tif");
        var labelPath = OutputFiles.Sibling(geoJsonPath, ".labels.tif");
        var partialPath = OutputFiles.Sibling(geoJsonPath, ".partial.geojson");
        try
        {
            using var sceneSrs = SpatialReferences.FromWkt(grid.CrsWkt);
            Ogr.OSRSetAxisMappingStrategy(sceneSrs, Ogr.OamsTraditionalGisOrder);
            using var binary = WriteBinaryMask(maskPath, binaryPath, grid, options.RowsPerBlock, cancellationToken);

            using var memory = Gdal.GDALCreate(GdalRuntime.Driver("Memory"), string.Empty, 0, 0, 0, Gdal.GdtUnknown, 0);
            if (memory.IsInvalid)
            {
                throw GdalRuntime.Failure("creating an in-memory vector dataset");
            }

            var layer = Gdal.GDALDatasetCreateLayer(memory, "polygons", sceneSrs, Ogr.WkbPolygon, 0);
            AddField(layer, "value", Ogr.OftInteger);
            AddField(layer, "label", Ogr.OftInteger);

            using (var progress = new CancellationProgress(cancellationToken))
            using (var polygonizeOptions = new StringList("8CONNECTED=8"))
            {
                var band = Gdal.GDALGetRasterBand(binary, 1);
                Gdal.CPLErrorReset();
                var err = Gdal.GDALPolygonize(band, band, layer, 0, polygonizeOptions.Handle, CancellationProgress.Function, progress.Data);
                cancellationToken.ThrowIfCancellationRequested();
                GdalRuntime.Check(err, $"polygonizing '{maskPath}'");
            }

            var polygonCount = LabelPolygons(layer);
            using var probability = OpenRaster(probabilityPath);
            var probabilityBand = Gdal.GDALGetRasterBand(probability, 1);
            var stats = new PolygonStats(polygonCount, Gdal.GDALGetRasterDataType(probabilityBand) == Gdal.GdtByte ? 1.0 / 255 : 1.0);
            if (polygonCount > 0)
            {
                using var labels = RasterizeLabels(layer, labelPath, grid, cancellationToken);
                Accumulate(labels, probabilityBand, probabilityPath, grid, options.RowsPerBlock, stats, cancellationToken);
            }

            var summary = WriteGeoJson(layer, sceneSrs, stats, partialPath, options.MinAreaM2, options.MinMeanProbability);
            File.Move(partialPath, geoJsonPath, overwrite: true);
            return summary;
        }
        finally
        {
            OutputFiles.TryDelete(binaryPath);
            OutputFiles.TryDelete(labelPath);
            OutputFiles.TryDelete(partialPath);
        }
    }

    private static void CheckInputs(RasterScene mask, RasterScene probability)
    {
        var m = mask.Info;
        var p = probability.Info;
        if (m.BandCount != 1 || m.BandTypes[0] != BandDataType.Byte)
        {
            throw new ArgumentException($"the mask '{mask.Source}' must be one uint8 band, found {m.BandCount} band(s) of {string.Join(", ", m.BandTypes)}", nameof(mask));
        }

        if (p.BandCount != 1 || p.BandTypes[0] is not (BandDataType.Byte or BandDataType.Float32))
        {
            throw new ArgumentException($"the probability '{probability.Source}' must be one uint8 or float32 band, found {p.BandCount} band(s) of {string.Join(", ", p.BandTypes)}", nameof(probability));
        }

        if (m.Width != p.Width || m.Height != p.Height || m.GeoTransform != p.GeoTransform)
        {
            throw new ArgumentException(
                $"mask ({m.Width} x {m.Height}, {m.GeoTransform}) and probability ({p.Width} x {p.Height}, {p.GeoTransform}) are not on the same grid",
                nameof(probability));
        }

        if (!m.HasCrs)
        {
            throw new SceneRejectedException(SceneError.MissingCrs, $"the mask '{mask.Source}' has no CRS; polygon areas need a projected CRS");
        }

        if (!m.IsProjected)
        {
            throw new SceneRejectedException(SceneError.GeographicCrs, $"the mask '{mask.Source}' is in a geographic CRS; polygon areas need a projected CRS in metres");
        }
    }

    private static unsafe DatasetHandle WriteBinaryMask(string maskPath, string binaryPath, SceneInfo grid, int rowsPerBlock, CancellationToken cancellationToken)
    {
        using var mask = OpenRaster(maskPath);
        using var options = new StringList("TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "ZLEVEL=1", "BIGTIFF=IF_SAFER");
        var binary = Gdal.GDALCreate(GdalRuntime.Driver("GTiff"), binaryPath, grid.Width, grid.Height, 1, Gdal.GdtByte, options.Handle);
        if (binary.IsInvalid)
        {
            binary.Dispose();
            throw GdalRuntime.Failure("creating the temporary binary mask");
        }

        try
        {
            GeoTiffWriter.Georeference(binary, grid, binaryPath);
            var rows = Math.Min(rowsPerBlock, grid.Height);
            var buffer = ArrayPool<byte>.Shared.Rent(rows * grid.Width);
            try
            {
                fixed (byte* data = buffer)
                {
                    for (var y = 0; y < grid.Height; y += rows)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var n = Math.Min(rows, grid.Height - y);
                        var block = buffer.AsSpan(0, n * grid.Width);
                        GdalRuntime.Check(Gdal.GDALRasterIO(Gdal.GDALGetRasterBand(mask, 1), Gdal.Read, 0, y, grid.Width, n, data, grid.Width, n, Gdal.GdtByte, 0, 0), $"reading '{maskPath}'");
                        for (var i = 0; i < block.Length; i++)
                        {
                            block[i] = block[i] == 1 ? (byte)1 : (byte)0;
                        }

                        GdalRuntime.Check(Gdal.GDALRasterIO(Gdal.GDALGetRasterBand(binary, 1), Gdal.Write, 0, y, grid.Width, n, data, grid.Width, n, Gdal.GdtByte, 0, 0), "writing the temporary binary mask");
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            Gdal.GDALFlushCache(binary);
            return binary;
        }
        catch
        {
            binary.Dispose();
            throw;
        }
    }

    /// <summary>Gives every polygon a 1-based label (its index in the stats arrays); returns the count.</summary>
    private static int LabelPolygons(nint layer)
    {
        var labelField = Ogr.OGR_FD_GetFieldIndex(Ogr.OGR_L_GetLayerDefn(layer), "label");
        var count = 0;
        Ogr.OGR_L_ResetReading(layer);
        while (true)
        {
            using var feature = Ogr.OGR_L_GetNextFeature(layer);
            if (feature.IsInvalid)
            {
                break;
            }

            Ogr.OGR_F_SetFieldInteger(feature, labelField, ++count);
            if (Ogr.OGR_L_SetFeature(layer, feature) != Ogr.OgrErrNone)
            {
                throw GdalRuntime.Failure("labelling polygons");
            }
        }

        return count;
    }

    private static unsafe DatasetHandle RasterizeLabels(nint layer, string labelPath, SceneInfo grid, CancellationToken cancellationToken)
    {
        using var options = new StringList("TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "ZLEVEL=1", "BIGTIFF=IF_SAFER", "SPARSE_OK=TRUE");
        var labels = Gdal.GDALCreate(GdalRuntime.Driver("GTiff"), labelPath, grid.Width, grid.Height, 1, Gdal.GdtInt32, options.Handle);
        if (labels.IsInvalid)
        {
            labels.Dispose();
            throw GdalRuntime.Failure("creating the temporary label raster");
        }

        try
        {
            GeoTiffWriter.Georeference(labels, grid, labelPath);
            using var rasterizeOptions = new StringList("ATTRIBUTE=label");
            using var progress = new CancellationProgress(cancellationToken);
            var band = 1;
            var layers = stackalloc nint[1] { layer };
            Gdal.CPLErrorReset();
            var err = Gdal.GDALRasterizeLayers(labels, 1, &band, 1, layers, 0, 0, null, rasterizeOptions.Handle, CancellationProgress.Function, progress.Data);
            cancellationToken.ThrowIfCancellationRequested();
            GdalRuntime.Check(err, "rasterizing polygon labels");
            Gdal.GDALFlushCache(labels);
            return labels;
        }
        catch
        {
            labels.Dispose();
            throw;
        }
    }

    private static unsafe void Accumulate(DatasetHandle labels, nint probabilityBand, string probabilityPath, SceneInfo grid, int rowsPerBlock, PolygonStats stats, CancellationToken cancellationToken)
    {
        int hasNoData;
        var noDataValue = Gdal.GDALGetRasterNoDataValue(probabilityBand, &hasNoData);
        float? noData = hasNoData != 0 ? (float)noDataValue : null;

        var rows = Math.Min(rowsPerBlock, grid.Height);
        var labelBuffer = ArrayPool<int>.Shared.Rent(rows * grid.Width);
        var probabilityBuffer = ArrayPool<float>.Shared.Rent(rows * grid.Width);
        try
        {
            fixed (int* labelData = labelBuffer)
            fixed (float* probabilityData = probabilityBuffer)
            {
                for (var y = 0; y < grid.Height; y += rows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var n = Math.Min(rows, grid.Height - y);
                    GdalRuntime.Check(Gdal.GDALRasterIO(Gdal.GDALGetRasterBand(labels, 1), Gdal.Read, 0, y, grid.Width, n, labelData, grid.Width, n, Gdal.GdtInt32, 0, 0), "reading polygon labels");
                    GdalRuntime.Check(Gdal.GDALRasterIO(probabilityBand, Gdal.Read, 0, y, grid.Width, n, probabilityData, grid.Width, n, Gdal.GdtFloat32, 0, 0), $"reading '{probabilityPath}'");
                    stats.Add(labelBuffer.AsSpan(0, n * grid.Width), probabilityBuffer.AsSpan(0, n * grid.Width), noData);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(labelBuffer);
            ArrayPool<float>.Shared.Return(probabilityBuffer);
        }
    }

    private static unsafe PolygonSummary WriteGeoJson(nint layer, SpatialReferenceHandle sceneSrs, PolygonStats stats, string path, double minAreaM2, double minMeanProbability)
    {
        using var wgs84 = SpatialReferences.FromEpsg(4326);
        Ogr.OSRSetAxisMappingStrategy(wgs84, Ogr.OamsTraditionalGisOrder);
        using var toWgs84 = Ogr.OCTNewCoordinateTransformation(sceneSrs, wgs84);
        if (toWgs84.IsInvalid)
        {
            throw GdalRuntime.Failure("creating the transformation to WGS84");
        }

        using var output = Gdal.GDALCreate(GdalRuntime.Driver("GeoJSON"), path, 0, 0, 0, Gdal.GdtUnknown, 0);
        if (output.IsInvalid)
        {
            throw GdalRuntime.Failure($"creating GeoJSON '{path}'");
        }

        using var layerOptions = new StringList("RFC7946=YES", "WRITE_BBOX=YES", "WRITE_NAME=NO");
        var outLayer = Gdal.GDALDatasetCreateLayer(output, "landslides", wgs84, Ogr.WkbPolygon, layerOptions.Handle);
        if (outLayer == 0)
        {
            throw GdalRuntime.Failure("creating the GeoJSON layer");
        }

        AddField(outLayer, "id", Ogr.OftInteger);
        AddField(outLayer, "area_m2", Ogr.OftReal);
        AddField(outLayer, "pixel_count", Ogr.OftInteger64);
        AddField(outLayer, "mean_probability", Ogr.OftReal);
        AddField(outLayer, "max_probability", Ogr.OftReal);
        AddField(outLayer, "centroid", Ogr.OftRealList);
        var definition = Ogr.OGR_L_GetLayerDefn(outLayer);
        var labelField = Ogr.OGR_FD_GetFieldIndex(Ogr.OGR_L_GetLayerDefn(layer), "label");

        var count = 0;
        var totalArea = 0.0;
        var bounds = new Ogr.Envelope { MinX = double.PositiveInfinity, MinY = double.PositiveInfinity, MaxX = double.NegativeInfinity, MaxY = double.NegativeInfinity };
        var lonLatCentroid = stackalloc double[2];
        Ogr.OGR_L_ResetReading(layer);
        while (true)
        {
            using var source = Ogr.OGR_L_GetNextFeature(layer);
            if (source.IsInvalid)
            {
                break;
            }

            var geometry = Ogr.OGR_F_GetGeometryRef(source);
            var area = Ogr.OGR_G_Area(geometry);
            if (area < minAreaM2)
            {
                continue;
            }

            var label = Ogr.OGR_F_GetFieldAsInteger(source, labelField);
            if (minMeanProbability > 0 && stats.Mean(label) < minMeanProbability)
            {
                continue;
            }

            using var centroid = Ogr.OGR_G_CreateGeometry(Ogr.WkbPoint);
            if (Ogr.OGR_G_Centroid(geometry, centroid) != Ogr.OgrErrNone || Ogr.OGR_G_Transform(centroid, toWgs84) != Ogr.OgrErrNone)
            {
                throw GdalRuntime.Failure($"computing the centroid of polygon {label}");
            }

            using var lonLat = Ogr.OGR_G_Clone(geometry);
            if (Ogr.OGR_G_Transform(lonLat, toWgs84) != Ogr.OgrErrNone)
            {
                throw GdalRuntime.Failure($"reprojecting polygon {label} to WGS84");
            }

            Ogr.Envelope envelope;
            Ogr.OGR_G_GetEnvelope(lonLat, &envelope);
            bounds = new Ogr.Envelope
            {
                MinX = Math.Min(bounds.MinX, envelope.MinX),
                MaxX = Math.Max(bounds.MaxX, envelope.MaxX),
                MinY = Math.Min(bounds.MinY, envelope.MinY),
                MaxY = Math.Max(bounds.MaxY, envelope.MaxY),
            };

            using var feature = Ogr.OGR_F_Create(definition);
            Ogr.OGR_F_SetFieldInteger(feature, 0, ++count);
            Ogr.OGR_F_SetFieldDouble(feature, 1, area);
            Ogr.OGR_F_SetFieldInteger64(feature, 2, stats.Count(label));
            Ogr.OGR_F_SetFieldDouble(feature, 3, stats.Mean(label));
            Ogr.OGR_F_SetFieldDouble(feature, 4, stats.Max(label));
            // Same 7 decimals (about 1 cm) as RFC 7946 output gives the coordinates.
            lonLatCentroid[0] = Math.Round(Ogr.OGR_G_GetX(centroid, 0), 7);
            lonLatCentroid[1] = Math.Round(Ogr.OGR_G_GetY(centroid, 0), 7);
            Ogr.OGR_F_SetFieldDoubleList(feature, 5, 2, lonLatCentroid);
            if (Ogr.OGR_F_SetGeometry(feature, lonLat) != Ogr.OgrErrNone || Ogr.OGR_L_CreateFeature(outLayer, feature) != Ogr.OgrErrNone)
            {
                throw GdalRuntime.Failure($"writing polygon {count} to '{path}'");
            }

            totalArea += area;
        }

        Gdal.CPLErrorReset();
        output.Dispose();
        if (Gdal.CPLGetLastErrorType() >= Gdal.CeFailure)
        {
            throw GdalRuntime.Failure($"closing '{path}'");
        }

        return new PolygonSummary(count, totalArea, count == 0 ? null : new GeoBounds(bounds.MinX, bounds.MinY, bounds.MaxX, bounds.MaxY));
    }

    private static void AddField(nint layer, string name, int type)
    {
        var field = Ogr.OGR_Fld_Create(name, type);
        try
        {
            if (Ogr.OGR_L_CreateField(layer, field, 1) != Ogr.OgrErrNone)
            {
                throw GdalRuntime.Failure($"creating field '{name}'");
            }
        }
        finally
        {
            Ogr.OGR_Fld_Destroy(field);
        }
    }

    private static DatasetHandle OpenRaster(string path)
    {
        var dataset = Gdal.GDALOpenEx(path, Gdal.OfRaster | Gdal.OfReadOnly | Gdal.OfVerboseError, 0, 0, 0);
        if (dataset.IsInvalid)
        {
            dataset.Dispose();
            throw GdalRuntime.Failure($"opening '{path}'");
        }

        return dataset;
    }
}
