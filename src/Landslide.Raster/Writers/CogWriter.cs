using Landslide.Core.Scenes;
using Landslide.Raster.Interop;

namespace Landslide.Raster.Writers;

/// <summary>
/// Writes one band on a scene's grid and CRS as a Cloud Optimized GeoTIFF, row block by row block. Rows go to a
/// temporary tiled GTiff beside the output (so memory stays at GDAL's block cache, never the whole raster; uncompressed
/// unless <see cref="CogWriteOptions.CompressTemporary"/>);
/// <see cref="Complete"/> then has the COG driver copy it with DEFLATE and overviews, and renames the result
/// into place, so the final path never holds a half-written file.
/// </summary>
/// <example><code>
/// using var writer = CogWriter.Create(path, scene.Info, RasterPixelType.Byte, noData: 255, OverviewResampling.Nearest);
/// writer.WriteRows(0, firstRows);
/// ...
/// writer.Complete(cancellationToken);
/// </code></example>
public sealed class CogWriter : IDisposable
{
    private readonly GdalDataset _temporary;
    private readonly string _temporaryPath;
    private readonly string _path;
    private readonly RasterPixelType _pixelType;
    private readonly OverviewResampling _resampling;
    private readonly bool[] _rowsWritten;
    private readonly CogWriteOptions _options;
    private bool _completed;

    private CogWriter(
        GdalDataset temporary, string temporaryPath, string path, int width, int height, RasterPixelType pixelType, OverviewResampling resampling, CogWriteOptions options)
    {
        _options = options;
        _temporary = temporary;
        _temporaryPath = temporaryPath;
        _path = path;
        _pixelType = pixelType;
        _resampling = resampling;
        _rowsWritten = new bool[height];
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// Starts a single-band output on <paramref name="grid"/>'s size, geotransform and CRS. <paramref name="options"/>:
    /// null = <see cref="CogWriteOptions.Default"/>.
    /// </summary>
    public static CogWriter Create(
        string path, SceneInfo grid, RasterPixelType pixelType, double? noData, OverviewResampling resampling, CogWriteOptions? options = null)
    {
        options ??= CogWriteOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Width <= 0 || grid.Height <= 0)
        {
            throw new ArgumentException($"the grid must have a positive size, got {grid.Width} x {grid.Height}", nameof(grid));
        }

        if (!Enum.IsDefined(pixelType))
        {
            throw new ArgumentOutOfRangeException(nameof(pixelType), pixelType, "expected Byte or Float32");
        }

        _ = GdalRuntime.Driver("GTiff");
        _ = GdalRuntime.Driver("COG");
        var temporaryPath = OutputFiles.Sibling(path, ".rows.tif");

        // This file lives only until Complete: uncompressed by default (see CogWriteOptions.CompressTemporary).
        string[] creation = options.CompressTemporary
            ? ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "ZLEVEL=1", "BIGTIFF=IF_SAFER"]
            : ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "BIGTIFF=IF_SAFER"];
        var dataset = GdalDataset.Create("GTiff", temporaryPath, grid.Width, grid.Height, 1, (BandDataType)pixelType, creation, $"the temporary raster for '{path}'");

        try
        {
            dataset.Georeference(grid, path);
            if (noData is { } value)
            {
                dataset.Band(1).SetNoData(value, $"setting nodata of '{path}'");
            }
        }
        catch
        {
            dataset.Dispose();
            OutputFiles.TryDelete(temporaryPath);
            throw;
        }

        return new CogWriter(dataset, temporaryPath, path, grid.Width, grid.Height, pixelType, resampling, options);
    }

    /// <summary>Writes whole rows starting at <paramref name="startRow"/>; the row count is <c>rows.Length / Width</c>.</summary>
    public unsafe void WriteRows(int startRow, ReadOnlySpan<byte> rows)
    {
        RequireType(RasterPixelType.Byte);
        fixed (byte* data = rows)
        {
            Write(startRow, rows.Length, data, BandDataType.Byte);
        }
    }

    /// <inheritdoc cref="WriteRows(int, ReadOnlySpan{byte})"/>
    public unsafe void WriteRows(int startRow, ReadOnlySpan<float> rows)
    {
        RequireType(RasterPixelType.Float32);
        fixed (float* data = rows)
        {
            Write(startRow, rows.Length, data, BandDataType.Float32);
        }
    }

    /// <summary>Builds the COG (DEFLATE, overviews) at the final path. Every row must have been written.</summary>
    /// <exception cref="InvalidOperationException">Some rows were never written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while GDAL was copying.</exception>
    public void Complete(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_temporary.IsClosed, this);
        var missing = Array.IndexOf(_rowsWritten, false);
        if (missing >= 0)
        {
            var end = Array.IndexOf(_rowsWritten, true, missing);
            throw new InvalidOperationException(
                $"rows {missing}..{(end < 0 ? Height : end) - 1} of '{_path}' were never written; write all {Height} rows before Complete");
        }

        _temporary.FlushCache();
        var partialPath = OutputFiles.Sibling(_path, ".partial.tif");
        var resampling = _resampling == OverviewResampling.Nearest ? "NEAREST" : "AVERAGE";
        using var progress = new CancellationProgress(cancellationToken);
        string[] options =
        [
            "COMPRESS=DEFLATE",
            FormattableString.Invariant($"LEVEL={_options.DeflateLevel}"),
            _pixelType == RasterPixelType.Float32 ? "PREDICTOR=YES" : "PREDICTOR=NO",
            "BLOCKSIZE=512",
            _options.OverviewsOnTemporary ? "OVERVIEWS=FORCE_USE_EXISTING" : "OVERVIEWS=AUTO",
            $"OVERVIEW_RESAMPLING={resampling}",
            "BIGTIFF=IF_SAFER",
            _options.Threads == 0 ? "NUM_THREADS=ALL_CPUS" : FormattableString.Invariant($"NUM_THREADS={_options.Threads}"),
        ];
        try
        {
            if (_options.OverviewsOnTemporary)
            {
                BuildOverviews(resampling, progress, cancellationToken);
            }

            using (var cog = _temporary.TryCreateCopy("COG", partialPath, options, progress))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (cog is null)
                {
                    throw GdalRuntime.Failure($"writing COG '{_path}'");
                }
            }

            File.Move(partialPath, _path, overwrite: true);
            _completed = true;
        }
        finally
        {
            OutputFiles.TryDelete(partialPath);
            Dispose();
        }
    }

    /// <summary>
    /// The overview levels GDAL's COG driver picks with OVERVIEWS=AUTO (halve until the longer side fits one 512 px
    /// block), built into the temporary file so the COG copy only compresses them.
    /// </summary>
    internal static int[] OverviewLevels(int width, int height)
    {
        var levels = new List<int>();
        for (var level = 2; Math.Max(width, height) / (level / 2) > 512; level *= 2)
        {
            levels.Add(level);
        }

        return [.. levels];
    }

    private void BuildOverviews(string resampling, CancellationProgress progress, CancellationToken cancellationToken)
    {
        var levels = OverviewLevels(Width, Height);
        if (levels.Length == 0)
        {
            return;
        }

        // GDAL_NUM_THREADS on this thread only: overview computation then uses every core.
        var threads = _options.Threads == 0 ? "ALL_CPUS" : _options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (GdalRuntime.ThreadConfigOption("GDAL_NUM_THREADS", threads))
        {
            var err = _temporary.BuildOverviews(resampling, levels, progress);
            cancellationToken.ThrowIfCancellationRequested();
            GdalRuntime.Check(err, $"building overviews of '{_path}'");
        }
    }

    /// <summary>Removes the temporary file; without <see cref="Complete"/> no output appears.</summary>
    public void Dispose()
    {
        if (!_temporary.IsClosed)
        {
            _temporary.Dispose();
            OutputFiles.TryDelete(_temporaryPath);
        }
    }

    /// <summary>True once the COG is at its final path.</summary>
    public bool IsCompleted => _completed;

    private void RequireType(RasterPixelType type)
    {
        ObjectDisposedException.ThrowIf(_temporary.IsClosed, this);
        if (type != _pixelType)
        {
            throw new ArgumentException($"this writer holds {_pixelType} pixels; pass {_pixelType} rows", "rows");
        }
    }

    private unsafe void Write(int startRow, int length, void* data, BandDataType bufferType)
    {
        if (length == 0 || length % Width != 0)
        {
            throw new ArgumentException($"rows must hold a positive multiple of the width ({Width}) values, got {length}", "rows");
        }

        var rowCount = length / Width;
        if (startRow < 0 || startRow > Height - rowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(startRow), startRow, $"{rowCount} rows from {startRow} do not fit in {Height}");
        }

        GdalRuntime.ResetErrors();
        var err = _temporary.Band(1).RasterIO(write: true, 0, startRow, Width, rowCount, data, bufferType);
        GdalRuntime.Check(err, $"writing rows {startRow}..{startRow + rowCount - 1} of '{_path}'");
        _rowsWritten.AsSpan(startRow, rowCount).Fill(true);
    }
}
