using Landslide.Core.Scenes;
using Landslide.Raster.Interop;

namespace Landslide.Raster.Writers;

/// <summary>
/// Writes a tiled, DEFLATE-compressed multi-band GeoTIFF window by window (test scenes, <c>landslide sample</c>).
/// The layout (size, band count and type, grid, CRS, nodata) comes from a <see cref="SceneInfo"/>.
/// </summary>
public sealed class GeoTiffWriter : IDisposable
{
    private readonly DatasetHandle _dataset;
    private readonly SceneInfo _layout;
    private readonly string _path;

    private GeoTiffWriter(DatasetHandle dataset, SceneInfo layout, string path)
    {
        _dataset = dataset;
        _layout = layout;
        _path = path;
    }

    /// <summary>Creates (or overwrites) <paramref name="path"/>. An empty <see cref="SceneInfo.CrsWkt"/> writes no CRS.</summary>
    /// <exception cref="ArgumentException">The layout has no bands, mixed band types or a non-positive size.</exception>
    public static unsafe GeoTiffWriter Create(string path, SceneInfo layout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.BandCount == 0 || layout.Width <= 0 || layout.Height <= 0)
        {
            throw new ArgumentException($"a GeoTIFF needs at least one band and a positive size, got {layout.BandCount} bands of {layout.Width} x {layout.Height}", nameof(layout));
        }

        var type = layout.BandTypes[0];
        if (type == BandDataType.Unknown || layout.BandTypes.Any(t => t != type))
        {
            throw new ArgumentException("all bands must share one known type", nameof(layout));
        }

        var driver = GdalRuntime.Driver("GTiff");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        using var options = new StringList("TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER");
        Gdal.CPLErrorReset();
        var dataset = Gdal.GDALCreate(driver, path, layout.Width, layout.Height, layout.BandCount, (int)type, options.Handle);
        if (dataset.IsInvalid)
        {
            dataset.Dispose();
            throw GdalRuntime.Failure($"creating GeoTIFF '{path}'");
        }

        try
        {
            Georeference(dataset, layout, path);
            if (layout.NoData is { } noData)
            {
                for (var b = 1; b <= layout.BandCount; b++)
                {
                    GdalRuntime.Check(Gdal.GDALSetRasterNoDataValue(Gdal.GDALGetRasterBand(dataset, b), noData), $"setting nodata of '{path}'");
                }
            }
        }
        catch
        {
            dataset.Dispose();
            throw;
        }

        return new GeoTiffWriter(dataset, layout, path);
    }

    /// <summary>Writes a window of every band from band-sequential float32 values (GDAL converts to the file's type).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window leaves the raster.</exception>
    public unsafe void WriteWindow(int x, int y, int width, int height, ReadOnlySpan<float> bandSequential)
    {
        ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
        if (width <= 0 || height <= 0 || x < 0 || y < 0 || x > _layout.Width - width || y > _layout.Height - height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"window ({x}, {y}, {width} x {height}) is not inside {_layout.Width} x {_layout.Height}");
        }

        var plane = (long)width * height;
        if (bandSequential.Length != plane * _layout.BandCount)
        {
            throw new ArgumentException($"expected {plane * _layout.BandCount} values ({_layout.BandCount} bands x {width} x {height}), got {bandSequential.Length}", nameof(bandSequential));
        }

        fixed (float* data = bandSequential)
        {
            Gdal.CPLErrorReset();
            var err = Gdal.GDALDatasetRasterIOEx(
                _dataset, Gdal.Write, x, y, width, height, data, width, height, Gdal.GdtFloat32, _layout.BandCount, null,
                sizeof(float), (long)width * sizeof(float), plane * sizeof(float), 0);
            GdalRuntime.Check(err, $"writing window ({x}, {y}, {width} x {height}) of '{_path}'");
        }
    }

    /// <summary>Flushes and closes the file, reporting any write error GDAL met on the way.</summary>
    public void Complete()
    {
        if (_dataset.IsClosed)
        {
            return;
        }

        Gdal.CPLErrorReset();
        _dataset.Dispose();
        if (Gdal.CPLGetLastErrorType() >= Gdal.CeFailure)
        {
            throw GdalRuntime.Failure($"closing '{_path}'");
        }
    }

    public void Dispose() => _dataset.Dispose();

    internal static unsafe void Georeference(DatasetHandle dataset, SceneInfo grid, string path)
    {
        var gt = stackalloc double[6];
        grid.GeoTransform.ToArray().AsSpan().CopyTo(new Span<double>(gt, 6));
        GdalRuntime.Check(Gdal.GDALSetGeoTransform(dataset, gt), $"setting the geotransform of '{path}'");
        if (grid.HasCrs)
        {
            GdalRuntime.Check(Gdal.GDALSetProjection(dataset, grid.CrsWkt), $"setting the CRS of '{path}'");
        }
    }
}
