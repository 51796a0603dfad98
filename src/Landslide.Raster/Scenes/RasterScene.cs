using System.Buffers;
using Landslide.Core.Scenes;
using Landslide.Raster.Interop;

namespace Landslide.Raster.Scenes;

/// <summary>
/// A scene opened read-only through GDAL: its header as <see cref="SceneInfo"/> and windowed reads of its pixels.
/// Not thread-safe (a GDAL dataset handle is not): open one per thread or chunk.
/// </summary>
public sealed class RasterScene : IDisposable
{
    private readonly GdalDataset _dataset;
    private readonly string _gdalPath;
    private readonly string? _memoryPath;

    private RasterScene(GdalDataset dataset, string gdalPath, string source, string? memoryPath)
    {
        _dataset = dataset;
        _gdalPath = gdalPath;
        _memoryPath = memoryPath;
        Source = source;
        Info = ReadInfo(dataset);
    }

    /// <summary>The name messages use: the path as given, the display name, or the name given with the bytes.</summary>
    public string Source { get; }

    public SceneInfo Info { get; }

    /// <summary>Opens a raster file (or any GDAL path such as /vsicurl/...).</summary>
    /// <exception cref="FileNotFoundException">No such local file.</exception>
    /// <exception cref="SceneRejectedException"><see cref="SceneError.NotARaster"/>: empty or not a raster GDAL reads.</exception>
    public static RasterScene Open(string path) => Open(path, path);

    /// <summary>
    /// Opens a raster file (or any GDAL path) under another name for messages: a scene downloaded to a temp file,
    /// or read through a signed URL, is named as the user knows it (the blob name), never by the temp path or SAS.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such local file.</exception>
    /// <exception cref="SceneRejectedException"><see cref="SceneError.NotARaster"/>: empty or not a raster GDAL reads.</exception>
    public static RasterScene Open(string path, string displayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        if (!path.StartsWith("/vsi", StringComparison.Ordinal))
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new FileNotFoundException($"scene file '{displayName}' does not exist", displayName);
            }

            if (file.Length == 0)
            {
                throw new SceneRejectedException(SceneError.NotARaster, $"'{displayName}' is empty (0 bytes); expected a GeoTIFF");
            }
        }

        return new RasterScene(OpenDataset(path, displayName), path, displayName, memoryPath: null);
    }

    /// <summary>Opens a raster held in memory (through GDAL's /vsimem, removed on dispose).</summary>
    /// <param name="bytes">The file's bytes; copied, so the caller may reuse the buffer.</param>
    /// <param name="name">A name for messages; its extension helps GDAL pick a driver.</param>
    public static RasterScene Open(ReadOnlySpan<byte> bytes, string name = "scene.tif")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (bytes.IsEmpty)
        {
            throw new SceneRejectedException(SceneError.NotARaster, $"'{name}' is empty (0 bytes); expected a GeoTIFF");
        }

        var memoryPath = $"/vsimem/landslide/{Guid.NewGuid():N}/{Path.GetFileName(name)}";
        GdalMemoryFile.Create(memoryPath, bytes, name);
        try
        {
            return new RasterScene(OpenDataset(memoryPath, name), memoryPath, name, memoryPath);
        }
        catch
        {
            GdalMemoryFile.Delete(memoryPath);
            throw;
        }
    }

    /// <summary>Reads a window of every band as float32, band-sequential (band, row, column), into <paramref name="destination"/>.</summary>
    /// <remarks>The window must lie inside the raster: callers clip (and pad) at the edges themselves.</remarks>
    public void ReadWindow(int x, int y, int width, int height, Span<float> destination)
    {
        Span<int> bands = Info.BandCount <= 64 ? stackalloc int[Info.BandCount] : new int[Info.BandCount];
        for (var i = 0; i < bands.Length; i++)
        {
            bands[i] = i + 1;
        }

        ReadWindow(x, y, width, height, bands, destination);
    }

    /// <summary>Reads a window of the given bands (1-based, any order, repeats allowed) as float32, band-sequential.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window leaves the raster or a band does not exist.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than bands x width x height.</exception>
    /// <exception cref="SceneRejectedException">
    /// <see cref="SceneError.UnreadableData"/>: a local or in-memory scene whose pixel data GDAL cannot decode (damaged or
    /// cut short). The same failure on a remote path (/vsicurl/...) is a <see cref="GdalException"/>: it may be the network.
    /// </exception>
    public unsafe void ReadWindow(int x, int y, int width, int height, ReadOnlySpan<int> bands, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
        ValidateWindow(x, y, width, height);
        foreach (var band in bands)
        {
            if (band < 1 || band > Info.BandCount)
            {
                throw new ArgumentOutOfRangeException(nameof(bands), band, $"bands are 1-based; this scene has {Info.BandCount}");
            }
        }

        var plane = (long)width * height;
        var needed = plane * bands.Length;
        if (destination.Length < needed)
        {
            throw new ArgumentException($"destination holds {destination.Length} values; the window needs {needed}", nameof(destination));
        }

        fixed (float* data = destination)
        fixed (int* bandMap = bands)
        {
            GdalRuntime.ResetErrors();
            var err = _dataset.RasterIO(
                write: false, x, y, width, height, data, BandDataType.Float32, bands.Length, bandMap,
                pixelSpace: sizeof(float), lineSpace: (long)width * sizeof(float), bandSpace: plane * sizeof(float));
            if (GdalRuntime.IsFailure(err))
            {
                throw ReadFailure(x, y, width, height);
            }
        }
    }

    /// <summary>
    /// A failed read of a file whose bytes are all here means the data is bad: a rejection the user can act on. GDAL's
    /// message names the path it opened (a temp file, a signed URL), so that path is replaced by <see cref="Source"/>.
    /// </summary>
    private Exception ReadFailure(int x, int y, int width, int height)
    {
        var gdal = GdalRuntime.FirstFailureMessage("GDAL gave no message").Replace(_gdalPath, Source, StringComparison.Ordinal);
        var window = $"rows {y}-{y + height - 1}, columns {x}-{x + width - 1}";
        var inner = new GdalException(GdalRuntime.LastErrorNumber, $"reading {window} of '{Source}' failed: {gdal}");
        var local = _memoryPath is not null || !_gdalPath.StartsWith("/vsi", StringComparison.Ordinal);
        return local
            ? new SceneRejectedException(
                SceneError.UnreadableData,
                $"the pixel data of '{Source}' cannot be read ({window}): the file is damaged or cut short ({gdal})",
                inner)
            : inner;
    }

    /// <summary>
    /// Throws <see cref="SceneError.AllNodata"/> when no pixel of any band holds data. Scans row blocks (a few MB
    /// at a time) and stops at the first valid pixel, so a normal scene costs one small read.
    /// </summary>
    /// <param name="noData">The nodata value to use for every band; null uses each band's own (NaN is always nodata).</param>
    /// <param name="cancellationToken">Checked between row blocks.</param>
    public void ThrowIfAllNodata(double? noData = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
        var (width, height, bandCount) = (Info.Width, Info.Height, Info.BandCount);
        if (bandCount == 0 || width == 0 || height == 0)
        {
            throw new SceneRejectedException(SceneError.AllNodata, $"'{Source}' has no pixels");
        }

        var noDataPerBand = new float?[bandCount];
        for (var b = 0; b < bandCount; b++)
        {
            var bandNoData = _dataset.Band(b + 1).NoData;
            noDataPerBand[b] = noData is { } forced ? (float)forced : bandNoData is { } value ? (float)value : null;
        }

        // About 4 M floats (16 MB) per block, at least one row.
        var rowsPerBlock = (int)Math.Clamp(4_194_304L / ((long)width * bandCount), 1, height);
        var buffer = ArrayPool<float>.Shared.Rent(rowsPerBlock * width * bandCount);
        try
        {
            for (var row = 0; row < height; row += rowsPerBlock)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = Math.Min(rowsPerBlock, height - row);
                var plane = rows * width;
                ReadWindow(0, row, width, rows, buffer);
                for (var b = 0; b < bandCount; b++)
                {
                    if (HasData(buffer.AsSpan(b * plane, plane), noDataPerBand[b]))
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        var what = noData is { } nd ? $"nodata ({nd})" : Info.NoData is { } own ? $"nodata ({own}) or NaN" : "NaN";
        throw new SceneRejectedException(
            SceneError.AllNodata,
            $"every pixel of '{Source}' is {what} in all {bandCount} bands; the scene holds no data to map");
    }

    /// <summary>
    /// Median of the valid values of <paramref name="bands"/> (1-based) over a 3 x 3 grid of small windows spread over
    /// the scene: a few reads, cheap over HTTP range requests. Null when no sampled pixel holds data.
    /// </summary>
    /// <param name="bands">Bands to sample; bands past the scene's count are ignored.</param>
    /// <param name="noData">Nodata value of every band (NaN is always nodata).</param>
    public double? SampleMedian(ReadOnlySpan<int> bands, double? noData)
    {
        var present = new List<int>();
        foreach (var band in bands)
        {
            if (band >= 1 && band <= Info.BandCount)
            {
                present.Add(band);
            }
        }

        var size = Math.Min(32, Math.Min(Info.Width, Info.Height));
        if (present.Count == 0 || size == 0)
        {
            return null;
        }

        var buffer = new float[present.Count * size * size];
        var values = new List<float>(9 * buffer.Length);
        foreach (var fy in (ReadOnlySpan<double>)[0.2, 0.5, 0.8])
        {
            foreach (var fx in (ReadOnlySpan<double>)[0.2, 0.5, 0.8])
            {
                var x = Math.Clamp((int)(fx * Info.Width) - (size / 2), 0, Info.Width - size);
                var y = Math.Clamp((int)(fy * Info.Height) - (size / 2), 0, Info.Height - size);
                ReadWindow(x, y, size, size, [.. present], buffer);
                foreach (var v in buffer)
                {
                    if (!float.IsNaN(v) && (noData is not { } nd || v != (float)nd))
                    {
                        values.Add(v);
                    }
                }
            }
        }

        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>
    /// Drops this scene's decoded blocks from GDAL's block cache (up to the whole cache, 256 MB in `map`): once every
    /// row has been read they are dead weight through the output phase, where a run's memory peaks.
    /// </summary>
    public void ReleaseCache()
    {
        ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
        _dataset.FlushCache();
    }

    public void Dispose()
    {
        _dataset.Dispose();
        if (_memoryPath is not null)
        {
            GdalMemoryFile.Delete(_memoryPath);
        }
    }

    private static bool HasData(ReadOnlySpan<float> values, float? noData)
    {
        if (noData is { } nd && !float.IsNaN(nd))
        {
            foreach (var v in values)
            {
                if (v != nd && !float.IsNaN(v))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var v in values)
        {
            if (!float.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }

    private void ValidateWindow(int x, int y, int width, int height)
    {
        if (width <= 0 || height <= 0 || x < 0 || y < 0 || x > Info.Width - width || y > Info.Height - height)
        {
            throw new ArgumentOutOfRangeException(
                nameof(x),
                $"window ({x}, {y}, {width} x {height}) is not inside the {Info.Width} x {Info.Height} raster; clip it first");
        }
    }

    private static GdalDataset OpenDataset(string path, string displayName)
    {
        GdalRuntime.ResetErrors();
        return GdalDataset.TryOpen(path) ?? throw new SceneRejectedException(
            SceneError.NotARaster,
            $"'{displayName}' is not a raster GDAL can read ({GdalRuntime.LastErrorMessage("unrecognised format").Replace(path, displayName, StringComparison.Ordinal)}); expected a GeoTIFF");
    }

    private static SceneInfo ReadInfo(GdalDataset dataset)
    {
        var bandCount = dataset.BandCount;
        var types = new BandDataType[bandCount];
        for (var b = 0; b < bandCount; b++)
        {
            var type = dataset.Band(b + 1).DataType;
            types[b] = Enum.IsDefined(type) ? type : BandDataType.Unknown;
        }

        var noData = bandCount > 0 ? dataset.Band(1).NoData : null;
        var wkt = dataset.ProjectionWkt;
        int? epsg = null;
        var projected = false;
        if (!string.IsNullOrWhiteSpace(wkt))
        {
            using var srs = SpatialReferenceHandle.FromWkt(wkt);
            projected = srs.IsProjected;
            epsg = srs.Epsg;
        }

        return new SceneInfo(dataset.Width, dataset.Height, types, dataset.GeoTransform(), wkt, epsg, projected, noData);
    }
}
