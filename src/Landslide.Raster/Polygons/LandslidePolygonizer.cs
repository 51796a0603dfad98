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
    public static PolygonSummary Write(
        string maskPath,
        string probabilityPath,
        string geoJsonPath,
        PolygonizeOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(probabilityPath);

        // Both rasters exist already: a wrong pair fails before any work.
        using (var mask = RasterScene.Open(maskPath))
        using (var probability = RasterScene.Open(probabilityPath))
        {
            CheckMask(mask);
            CheckProbability(mask.Info, mask.Source, probability);
        }

        return Write(maskPath, () => probabilityPath, geoJsonPath, options, cancellationToken);
    }

    /// <summary>
    /// As <see cref="Write(string, string, string, PolygonizeOptions, CancellationToken)"/>, but asks for the
    /// probability raster only once the mask is polygonized and labelled: a caller still finishing that raster (the
    /// output phase of a run) overlaps the two, and <paramref name="probabilityPath"/> may block until it is ready.
    /// </summary>
    public static PolygonSummary Write(
        string maskPath,
        Func<string> probabilityPath,
        string geoJsonPath,
        PolygonizeOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(geoJsonPath);
        ArgumentNullException.ThrowIfNull(probabilityPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MinAreaM2);

        SceneInfo grid;
        using (var mask = RasterScene.Open(maskPath))
        {
            grid = mask.Info;
            CheckMask(mask);
        }

        var binaryPath = OutputFiles.Sibling(geoJsonPath, ".binary.tif");
        var labelPath = OutputFiles.Sibling(geoJsonPath, ".labels.tif");
        var partialPath = OutputFiles.Sibling(geoJsonPath, ".partial.geojson");
        try
        {
            using var sceneSrs = SpatialReferenceHandle.FromWkt(grid.CrsWkt).UseTraditionalGisOrder();
            using var binary = WriteBinaryMask(maskPath, binaryPath, grid, options.RowsPerBlock, cancellationToken);

            using var memory = GdalDataset.CreateVector("Memory", string.Empty, "an in-memory vector dataset");
            var layer = memory.CreatePolygonLayer("polygons", sceneSrs);
            var value = layer.AddField("value", OgrFieldType.Integer);
            var label = layer.AddField("label", OgrFieldType.Integer);

            using (var progress = new CancellationProgress(cancellationToken))
            {
                var band = binary.Band(1);
                var err = band.Polygonize(band, layer, value, ["8CONNECTED=8"], progress);
                cancellationToken.ThrowIfCancellationRequested();
                GdalRuntime.Check(err, $"polygonizing '{maskPath}'");
            }

            var polygonCount = LabelPolygons(layer, label);
            var probabilityFile = probabilityPath();
            using (var probabilityScene = RasterScene.Open(probabilityFile))
            {
                CheckProbability(grid, maskPath, probabilityScene);
            }

            using var probability = GdalDataset.OpenRaster(probabilityFile);
            var probabilityBand = probability.Band(1);
            var stats = new PolygonStats(polygonCount, probabilityBand.DataType == BandDataType.Byte ? 1.0 / 255 : 1.0);
            if (polygonCount > 0)
            {
                using var labels = RasterizeLabels(layer, labelPath, grid, cancellationToken);
                Accumulate(labels, probabilityBand, probabilityFile, grid, options.RowsPerBlock, stats, cancellationToken);
            }

            var summary = WriteGeoJson(layer, label, sceneSrs, stats, partialPath, options.MinAreaM2, options.MinMeanProbability);
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

    private static void CheckMask(RasterScene mask)
    {
        var m = mask.Info;
        if (m.BandCount != 1 || m.BandTypes[0] != BandDataType.Byte)
        {
            throw new ArgumentException($"the mask '{mask.Source}' must be one uint8 band, found {m.BandCount} band(s) of {string.Join(", ", m.BandTypes)}", nameof(mask));
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

    private static void CheckProbability(SceneInfo m, string maskSource, RasterScene probability)
    {
        var p = probability.Info;
        if (p.BandCount != 1 || p.BandTypes[0] is not (BandDataType.Byte or BandDataType.Float32))
        {
            throw new ArgumentException($"the probability '{probability.Source}' must be one uint8 or float32 band, found {p.BandCount} band(s) of {string.Join(", ", p.BandTypes)}", nameof(probability));
        }

        if (m.Width != p.Width || m.Height != p.Height || m.GeoTransform != p.GeoTransform)
        {
            throw new ArgumentException(
                $"mask '{maskSource}' ({m.Width} x {m.Height}, {m.GeoTransform}) and probability ({p.Width} x {p.Height}, {p.GeoTransform}) are not on the same grid",
                nameof(probability));
        }
    }

    private static unsafe GdalDataset WriteBinaryMask(string maskPath, string binaryPath, SceneInfo grid, int rowsPerBlock, CancellationToken cancellationToken)
    {
        using var mask = GdalDataset.OpenRaster(maskPath);
        var binary = GdalDataset.Create(
            "GTiff", binaryPath, grid.Width, grid.Height, 1, BandDataType.Byte,
            ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "ZLEVEL=1", "BIGTIFF=IF_SAFER"],
            "the temporary binary mask");
        try
        {
            binary.Georeference(grid, binaryPath);
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
                        GdalRuntime.Check(mask.Band(1).RasterIO(write: false, 0, y, grid.Width, n, data, BandDataType.Byte), $"reading '{maskPath}'");
                        for (var i = 0; i < block.Length; i++)
                        {
                            block[i] = block[i] == 1 ? (byte)1 : (byte)0;
                        }

                        GdalRuntime.Check(binary.Band(1).RasterIO(write: true, 0, y, grid.Width, n, data, BandDataType.Byte), "writing the temporary binary mask");
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            binary.FlushCache();
            return binary;
        }
        catch
        {
            binary.Dispose();
            throw;
        }
    }

    /// <summary>Gives every polygon a 1-based label (its index in the stats arrays); returns the count.</summary>
    private static int LabelPolygons(OgrLayer layer, OgrField label)
    {
        var count = 0;
        foreach (var feature in layer.Features())
        {
            feature.SetInt32(label, ++count);
            if (!layer.Update(feature))
            {
                throw GdalRuntime.Failure("labelling polygons");
            }
        }

        return count;
    }

    private static GdalDataset RasterizeLabels(OgrLayer layer, string labelPath, SceneInfo grid, CancellationToken cancellationToken)
    {
        var labels = GdalDataset.Create(
            "GTiff", labelPath, grid.Width, grid.Height, 1, BandDataType.Int32,
            ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "ZLEVEL=1", "BIGTIFF=IF_SAFER", "SPARSE_OK=TRUE"],
            "the temporary label raster");
        try
        {
            labels.Georeference(grid, labelPath);
            using var progress = new CancellationProgress(cancellationToken);
            var err = labels.Rasterize(layer, burnValue: null, ["ATTRIBUTE=label"], progress);
            cancellationToken.ThrowIfCancellationRequested();
            GdalRuntime.Check(err, "rasterizing polygon labels");
            labels.FlushCache();
            return labels;
        }
        catch
        {
            labels.Dispose();
            throw;
        }
    }

    private static unsafe void Accumulate(GdalDataset labels, GdalBand probabilityBand, string probabilityPath, SceneInfo grid, int rowsPerBlock, PolygonStats stats, CancellationToken cancellationToken)
    {
        float? noData = probabilityBand.NoData is { } value ? (float)value : null;

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
                    GdalRuntime.Check(labels.Band(1).RasterIO(write: false, 0, y, grid.Width, n, labelData, BandDataType.Int32), "reading polygon labels");
                    GdalRuntime.Check(probabilityBand.RasterIO(write: false, 0, y, grid.Width, n, probabilityData, BandDataType.Float32), $"reading '{probabilityPath}'");
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

    private static PolygonSummary WriteGeoJson(OgrLayer layer, OgrField label, SpatialReferenceHandle sceneSrs, PolygonStats stats, string path, double minAreaM2, double minMeanProbability)
    {
        using var wgs84 = SpatialReferenceHandle.FromEpsg(4326).UseTraditionalGisOrder();
        using var toWgs84 = sceneSrs.TransformationTo(wgs84, "creating the transformation to WGS84");
        using var output = GdalDataset.CreateVector("GeoJSON", path, $"GeoJSON '{path}'");
        var outLayer = output.CreatePolygonLayer("landslides", wgs84, ["RFC7946=YES", "WRITE_BBOX=YES", "WRITE_NAME=NO"]);

        // The output schema, in the order the properties appear; each field is set by name, never by position.
        var id = outLayer.AddField("id", OgrFieldType.Integer);
        var areaM2 = outLayer.AddField("area_m2", OgrFieldType.Real);
        var pixelCount = outLayer.AddField("pixel_count", OgrFieldType.Integer64);
        var meanProbability = outLayer.AddField("mean_probability", OgrFieldType.Real);
        var maxProbability = outLayer.AddField("max_probability", OgrFieldType.Real);
        var centroidField = outLayer.AddField("centroid", OgrFieldType.RealList);

        var count = 0;
        var totalArea = 0.0;
        var bounds = (MinX: double.PositiveInfinity, MinY: double.PositiveInfinity, MaxX: double.NegativeInfinity, MaxY: double.NegativeInfinity);
        Span<double> lonLatCentroid = stackalloc double[2];
        foreach (var source in layer.Features())
        {
            using var geometry = source.Geometry;
            var area = geometry.Area;
            if (area < minAreaM2)
            {
                continue;
            }

            var polygon = source.GetInt32(label);
            if (minMeanProbability > 0 && stats.Mean(polygon) < minMeanProbability)
            {
                continue;
            }

            using var centroid = OgrGeometry.Point();
            if (!geometry.CentroidInto(centroid) || !centroid.Transform(toWgs84))
            {
                throw GdalRuntime.Failure($"computing the centroid of polygon {polygon}");
            }

            using var lonLat = geometry.Clone();
            if (!lonLat.Transform(toWgs84))
            {
                throw GdalRuntime.Failure($"reprojecting polygon {polygon} to WGS84");
            }

            var envelope = lonLat.Envelope();
            bounds = (
                Math.Min(bounds.MinX, envelope.MinX),
                Math.Min(bounds.MinY, envelope.MinY),
                Math.Max(bounds.MaxX, envelope.MaxX),
                Math.Max(bounds.MaxY, envelope.MaxY));

            using var feature = outLayer.NewFeature();
            feature.SetInt32(id, ++count);
            feature.SetDouble(areaM2, area);
            feature.SetInt64(pixelCount, stats.Count(polygon));
            feature.SetDouble(meanProbability, stats.Mean(polygon));
            feature.SetDouble(maxProbability, stats.Max(polygon));
            // Same 7 decimals (about 1 cm) as RFC 7946 output gives the coordinates.
            lonLatCentroid[0] = Math.Round(centroid.X(0), 7);
            lonLatCentroid[1] = Math.Round(centroid.Y(0), 7);
            feature.SetDoubles(centroidField, lonLatCentroid);
            if (!feature.SetGeometry(lonLat) || !outLayer.Add(feature))
            {
                throw GdalRuntime.Failure($"writing polygon {count} to '{path}'");
            }

            totalArea += area;
        }

        output.Close(path);
        return new PolygonSummary(count, totalArea, count == 0 ? null : new GeoBounds(bounds.MinX, bounds.MinY, bounds.MaxX, bounds.MaxY));
    }
}
