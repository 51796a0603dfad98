using Landslide.Core.Scenes;
using Landslide.Raster.Interop;

namespace Landslide.Raster.Writers;

/// <summary>
/// Writes a tiled, DEFLATE-compressed multi-band GeoTIFF window by window (test scenes, <c>landslide sample</c>).
/// The layout (size, band count and type, grid, CRS, nodata) comes from a <see cref="SceneInfo"/>.
/// </summary>
public sealed class GeoTiffWriter : IDisposable
{
    private readonly GdalDataset _dataset;
    private readonly SceneInfo _layout;
    private readonly string _path;

    private GeoTiffWriter(GdalDataset dataset, SceneInfo layout, string path)
    {
        _dataset = dataset;
        _layout = layout;
        _path = path;
    }

    /// <summary>Creates (or overwrites) <paramref name="path"/>. An empty <see cref="SceneInfo.CrsWkt"/> writes no CRS.</summary>
    /// <exception cref="ArgumentException">The layout has no bands, mixed band types or a non-positive size.</exception>
    public static GeoTiffWriter Create(string path, SceneInfo layout)
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

        _ = GdalRuntime.Driver("GTiff");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        var dataset = GdalDataset.Create(
            "GTiff", path, layout.Width, layout.Height, layout.BandCount, type, ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER"], $"GeoTIFF '{path}'");

        try
        {
            dataset.Georeference(layout, path);
            if (layout.NoData is { } noData)
            {
                for (var b = 1; b <= layout.BandCount; b++)
                {
                    dataset.Band(b).SetNoData(noData, $"setting nodata of '{path}'");
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
            GdalRuntime.ResetErrors();
            var err = _dataset.RasterIO(
                write: true, x, y, width, height, data, BandDataType.Float32, _layout.BandCount, null,
                sizeof(float), (long)width * sizeof(float), plane * sizeof(float));
            GdalRuntime.Check(err, $"writing window ({x}, {y}, {width} x {height}) of '{_path}'");
        }
    }

    /// <summary>Flushes and closes the file, reporting any write error GDAL met on the way.</summary>
    public void Complete() => _dataset.Close(_path);

    public void Dispose() => _dataset.Dispose();
}
