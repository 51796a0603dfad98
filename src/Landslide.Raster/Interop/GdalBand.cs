using Landslide.Core.Scenes;

namespace Landslide.Raster.Interop;

/// <summary>A raster band, borrowed from its <see cref="GdalDataset"/> (never closed on its own).</summary>
internal readonly unsafe struct GdalBand
{
    private readonly nint _handle;

    internal GdalBand(nint handle) => _handle = handle;

    public BandDataType DataType => (BandDataType)Gdal.GDALGetRasterDataType(_handle);

    /// <summary>The band's nodata value; null when it has none.</summary>
    public double? NoData
    {
        get
        {
            int ok;
            var value = Gdal.GDALGetRasterNoDataValue(_handle, &ok);
            return ok != 0 ? value : null;
        }
    }

    /// <summary>Sets the nodata value; a <see cref="GdalException"/> saying <paramref name="what"/> on failure.</summary>
    public void SetNoData(double value, string what) => GdalRuntime.Check(Gdal.GDALSetRasterNoDataValue(_handle, value), what);

    /// <summary>Sets every pixel to <paramref name="value"/>; a <see cref="GdalException"/> saying <paramref name="what"/> on failure.</summary>
    public void Fill(double value, string what) => GdalRuntime.Check(Gdal.GDALFillRaster(_handle, value, 0), what);

    /// <summary>GDALRasterIO of a window into (or from) a packed buffer of its size; returns the CPLErr.</summary>
    public int RasterIO(bool write, int x, int y, int width, int height, void* data, BandDataType type)
        => Gdal.GDALRasterIO(_handle, write ? Gdal.Write : Gdal.Read, x, y, width, height, data, width, height, (int)type, 0, 0);

    /// <summary>
    /// GDALPolygonize of this band (non-zero pixels of <paramref name="mask"/> only) into <paramref name="layer"/>,
    /// the pixel value going to field <paramref name="valueField"/>; returns the CPLErr.
    /// </summary>
    public int Polygonize(GdalBand mask, OgrLayer layer, OgrField valueField, IEnumerable<string> options, CancellationProgress progress)
    {
        using var list = new StringList(options);
        GdalRuntime.ResetErrors();
        return Gdal.GDALPolygonize(_handle, mask._handle, layer.Handle, valueField.Index, list.Handle, CancellationProgress.Function, progress.Data);
    }
}
