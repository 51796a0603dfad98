using Landslide.Core.Scenes;

namespace Landslide.Raster.Interop;

/// <summary>
/// A GDAL dataset, raster or vector, owned by this object and closed when it is disposed (or <see cref="Close"/>d,
/// which also reports a failed flush). Its bands and layers belong to it: use them only while it is open.
/// </summary>
internal sealed unsafe class GdalDataset : IDisposable
{
    private readonly DatasetHandle _handle;

    private GdalDataset(DatasetHandle handle) => _handle = handle;

    public bool IsClosed => _handle.IsClosed;

    public int Width => Gdal.GDALGetRasterXSize(_handle);

    public int Height => Gdal.GDALGetRasterYSize(_handle);

    public int BandCount => Gdal.GDALGetRasterCount(_handle);

    public int LayerCount => Gdal.GDALDatasetGetLayerCount(_handle);

    /// <summary>The CRS as WKT; empty when the dataset has none.</summary>
    public string ProjectionWkt => Gdal.PtrToString(Gdal.GDALGetProjectionRef(_handle)) ?? string.Empty;

    /// <summary>Opens <paramref name="path"/> read-only as a raster (<paramref name="vector"/> false) or vector; null when GDAL cannot.</summary>
    public static GdalDataset? TryOpen(string path, bool vector = false)
    {
        GdalRuntime.EnsureInitialized();
        var flags = vector ? Gdal.OfVector | Gdal.OfReadOnly : Gdal.OfRaster | Gdal.OfReadOnly | Gdal.OfVerboseError;
        var handle = Gdal.GDALOpenEx(path, flags, 0, 0, 0);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            return null;
        }

        return new GdalDataset(handle);
    }

    /// <summary>Opens a raster read-only; a <see cref="GdalException"/> naming the path when GDAL cannot.</summary>
    public static GdalDataset OpenRaster(string path) => TryOpen(path) ?? throw GdalRuntime.Failure($"opening '{path}'");

    /// <summary>
    /// Creates a dataset with <paramref name="driver"/> (<paramref name="bandCount"/> 0 and size 0 for a vector or
    /// empty in-memory one); a <see cref="GdalException"/> saying <paramref name="what"/> was being created on failure.
    /// </summary>
    public static GdalDataset Create(
        string driver, string path, int width, int height, int bandCount, BandDataType type, IEnumerable<string>? options, string what)
    {
        var driverHandle = GdalRuntime.Driver(driver);
        using var list = new StringList(options ?? []);
        GdalRuntime.ResetErrors();
        var handle = Gdal.GDALCreate(driverHandle, path, width, height, bandCount, (int)type, list.Handle);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw GdalRuntime.Failure($"creating {what}");
        }

        return new GdalDataset(handle);
    }

    /// <summary>A vector dataset (no bands) with <paramref name="driver"/>.</summary>
    public static GdalDataset CreateVector(string driver, string path, string what)
        => Create(driver, path, 0, 0, 0, BandDataType.Unknown, null, what);

    /// <summary>1-based, as GDAL counts.</summary>
    public GdalBand Band(int number) => new(Gdal.GDALGetRasterBand(_handle, number));

    public OgrLayer Layer(int index) => new(Gdal.GDALDatasetGetLayer(_handle, index));

    public GeoTransform GeoTransform()
    {
        // GDAL fills the identity transform (0, 1, 0, 0, 0, 1) when the file has none.
        var gt = stackalloc double[6];
        _ = Gdal.GDALGetGeoTransform(_handle, gt);
        return Core.Scenes.GeoTransform.FromArray(new ReadOnlySpan<double>(gt, 6));
    }

    /// <summary>Sets the geotransform and (when the grid has one) the CRS of <paramref name="grid"/>.</summary>
    public void Georeference(SceneInfo grid, string path)
    {
        var gt = stackalloc double[6];
        grid.GeoTransform.ToArray().AsSpan().CopyTo(new Span<double>(gt, 6));
        GdalRuntime.Check(Gdal.GDALSetGeoTransform(_handle, gt), $"setting the geotransform of '{path}'");
        if (grid.HasCrs)
        {
            GdalRuntime.Check(Gdal.GDALSetProjection(_handle, grid.CrsWkt), $"setting the CRS of '{path}'");
        }
    }

    public void FlushCache() => Gdal.GDALFlushCache(_handle);

    /// <summary>
    /// GDALDatasetRasterIOEx over <paramref name="bandCount"/> bands (<paramref name="bandMap"/> null = the first
    /// ones), the buffer the size of the window; returns the CPLErr.
    /// </summary>
    public int RasterIO(
        bool write, int x, int y, int width, int height, void* data, BandDataType type, int bandCount, int* bandMap, long pixelSpace, long lineSpace, long bandSpace)
        => Gdal.GDALDatasetRasterIOEx(
            _handle, write ? Gdal.Write : Gdal.Read, x, y, width, height, data, width, height, (int)type, bandCount, bandMap, pixelSpace, lineSpace, bandSpace, 0);

    /// <summary>Copies this dataset to <paramref name="path"/> with <paramref name="driver"/>; null when GDAL fails (or was cancelled).</summary>
    public GdalDataset? TryCreateCopy(string driver, string path, IEnumerable<string>? options, CancellationProgress? progress)
    {
        var driverHandle = GdalRuntime.Driver(driver);
        using var list = new StringList(options ?? []);
        GdalRuntime.ResetErrors();
        var copy = Gdal.GDALCreateCopy(
            driverHandle, path, _handle, 0, list.Handle, progress is null ? 0 : CancellationProgress.Function, progress?.Data ?? 0);
        if (copy.IsInvalid)
        {
            copy.Dispose();
            return null;
        }

        return new GdalDataset(copy);
    }

    /// <summary>Builds overviews of every band at <paramref name="levels"/>; returns the CPLErr.</summary>
    public int BuildOverviews(string resampling, ReadOnlySpan<int> levels, CancellationProgress progress)
    {
        GdalRuntime.ResetErrors();
        fixed (int* list = levels)
        {
            return Gdal.GDALBuildOverviews(_handle, resampling, levels.Length, list, 0, null, CancellationProgress.Function, progress.Data);
        }
    }

    /// <summary>Creates a polygon layer; a <see cref="GdalException"/> when the driver refuses.</summary>
    public OgrLayer CreatePolygonLayer(string name, SpatialReferenceHandle srs, IEnumerable<string>? options = null)
    {
        using var list = new StringList(options ?? []);
        var layer = Gdal.GDALDatasetCreateLayer(_handle, name, srs, Gdal.WkbPolygon, list.Handle);
        return layer != 0 ? new OgrLayer(layer) : throw GdalRuntime.Failure($"creating the layer '{name}'");
    }

    /// <summary>
    /// Burns <paramref name="layer"/>'s polygons into band 1: <paramref name="burnValue"/>, or the attribute the
    /// options name (ATTRIBUTE=...) when it is null. Returns the CPLErr.
    /// </summary>
    public int Rasterize(OgrLayer layer, double? burnValue, IEnumerable<string>? options, CancellationProgress? progress)
    {
        var band = 1;
        var layers = stackalloc nint[1] { layer.Handle };
        var burn = stackalloc double[1] { burnValue ?? 0 };
        using var list = new StringList(options ?? []);
        GdalRuntime.ResetErrors();
        return Gdal.GDALRasterizeLayers(
            _handle, 1, &band, 1, layers, 0, 0, burnValue is null ? null : burn, list.Handle,
            progress is null ? 0 : CancellationProgress.Function, progress?.Data ?? 0);
    }

    /// <summary>Closes the dataset now; a <see cref="GdalException"/> when GDAL reports a failure while flushing it.</summary>
    public void Close(string path)
    {
        if (_handle.IsClosed)
        {
            return;
        }

        GdalRuntime.ResetErrors();
        _handle.Dispose();
        if (GdalRuntime.LastErrorIsFailure)
        {
            throw GdalRuntime.Failure($"closing '{path}'");
        }
    }

    public void Dispose() => _handle.Dispose();
}
