using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Landslide.Core.Blending;
using Landslide.Core.Scenes;
using Landslide.Raster.Polygons;
using Landslide.Raster.Writers;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// Writes a run's outputs into one folder, the same for `landslide map` and the cloud finalizer: final rows become
/// probability.tif and mask.tif (COGs on the scene's grid) and feed the quicklook; then the COGs are finished,
/// polygons written, and run.json, item.json and report.html follow the <see cref="RunRecord"/> the caller completes.
/// <para>
/// Order of use: <see cref="OnRows"/> for every scene row top to bottom, <see cref="FinishAsync"/> (rasters and
/// polygons), <see cref="WriteRecordAsync"/>. Disposing before the rasters are finished leaves no raster behind (the
/// temporary rows files are removed).
/// </para>
/// </summary>
public sealed class RunOutputWriter : ITileRowSink, IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly CogWriter _probability;
    private readonly CogWriter _mask;
    private readonly QuicklookBuilder _quicklook;
    private readonly BandProfile _profile;
    private readonly double _threshold;
    private readonly int _width;
    private readonly MapEngine _engine;
    private readonly byte[] _maskRows;
    private bool _disposed;

    private RunOutputWriter(string folder, SceneInfo scene, BandProfile profile, double threshold, int quicklookSize, MapEngine engine)
    {
        Folder = folder;
        _profile = profile;
        _threshold = threshold;
        _width = scene.Width;
        _engine = engine;

        // The sequential engine keeps the output settings it had before the outputs were tuned (the benchmarks' baseline).
        var cogOptions = engine == MapEngine.Sequential ? CogWriteOptions.Baseline : CogWriteOptions.Default;
        _probability = CogWriter.Create(Path.Combine(folder, OutputNames.Probability), scene, RasterPixelType.Float32, double.NaN, OverviewResampling.Average, cogOptions);
        try
        {
            _mask = CogWriter.Create(Path.Combine(folder, OutputNames.Mask), scene, RasterPixelType.Byte, MaskValues.NoData, OverviewResampling.Nearest, cogOptions);
        }
        catch
        {
            _probability.Dispose();
            throw;
        }

        _quicklook = new QuicklookBuilder(scene.Width, scene.Height, quicklookSize);
        _maskRows = ArrayPool<byte>.Shared.Rent(TileBlender.MaxRowsPerCompletion * scene.Width);
    }

    /// <summary>Every file a finished run holds, in the order they are listed in run.json and uploaded.</summary>
    public static IReadOnlyList<string> Outputs { get; } =
        [OutputNames.Mask, OutputNames.Probability, OutputNames.Polygons, OutputNames.Quicklook, OutputNames.Run, OutputNames.StacItem, OutputNames.Report, OutputNames.TrueColour];

    /// <summary>The folder the outputs are written to.</summary>
    public string Folder { get; }

    /// <summary>Pixels with a probability (not nodata) so far.</summary>
    public long ValidPixels { get; private set; }

    /// <summary>Pixels at or above the threshold so far.</summary>
    public long LandslidePixels { get; private set; }

    /// <summary>Path of landslides.geojson once <see cref="FinishAsync"/> has run.</summary>
    public string PolygonsPath => Path.Combine(Folder, OutputNames.Polygons);

    /// <summary>Starts the outputs of one run in <paramref name="folder"/> (created if missing).</summary>
    public static RunOutputWriter Create(string folder, SceneInfo scene, BandProfile profile, double threshold, int quicklookSize, MapEngine engine)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(profile);
        Directory.CreateDirectory(folder);
        return new RunOutputWriter(folder, scene, profile, threshold, quicklookSize, engine);
    }

    /// <inheritdoc/>
    public void OnRows(int startRow, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> strip, int stripY, int stripRows)
    {
        var rows = _maskRows.AsSpan(0, probabilities.Length);
        var (valid, landslide) = Threshold(probabilities, rows, _threshold);
        ValidPixels += valid;
        LandslidePixels += landslide;
        _probability.WriteRows(startRow, probabilities);
        _mask.WriteRows(startRow, rows);
        _quicklook.AddRows(strip, stripY, stripRows, startRow, rows, _profile);
    }

    /// <summary>
    /// Finishes probability.tif, mask.tif, quicklook.png and truecolour.png and writes landslides.geojson with the run's
    /// detection filter. Pipelined: two lanes for two cores, the probability COG (float32, most of the work) on one;
    /// the quicklooks, the mask COG (one byte per pixel in long runs) and polygonizing on the other, which waits for the
    /// probability COG only when it needs the probabilities (after the mask is polygonized and labelled). Sequential:
    /// one after the other, as before the outputs were tuned.
    /// </summary>
    public async Task<PolygonSummary> FinishAsync(DetectionFilter filter, StageTimings timings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(timings);
        var maskPath = Path.Combine(Folder, OutputNames.Mask);
        var probabilityPath = Path.Combine(Folder, OutputNames.Probability);
        var cog = Stopwatch.StartNew();
        if (_engine == MapEngine.Sequential)
        {
            _probability.Complete(cancellationToken);
            _mask.Complete(cancellationToken);
            timings.Add("cog", cog.Elapsed);
            WriteQuicklooks(timings);
            return timings.Time("polygonize", () => LandslidePolygonizer.Write(
                maskPath, probabilityPath, PolygonsPath, filter.ToPolygonizeOptions(), cancellationToken));
        }

        var probability = Task.Run(
            () =>
            {
                _probability.Complete(cancellationToken);
                timings.Add("cog", cog.Elapsed);
            },
            cancellationToken);
        var rest = Task.Run(
            () =>
            {
                WriteQuicklooks(timings);
                timings.Time("cog_mask", () => _mask.Complete(cancellationToken));
                return timings.Time("polygonize", () => LandslidePolygonizer.Write(
                    maskPath,
                    () =>
                    {
                        // Rethrows the probability lane's failure, if any.
                        probability.GetAwaiter().GetResult();
                        return probabilityPath;
                    },
                    PolygonsPath,
                    filter.ToPolygonizeOptions(),
                    cancellationToken));
            },
            cancellationToken);
        try
        {
            return await rest.ConfigureAwait(false);
        }
        finally
        {
            // Never leave the probability lane running behind a failed polygonize: its file is disposed next.
            await Task.WhenAny(probability).ConfigureAwait(false);
        }
    }

    /// <summary>Writes run.json, the STAC item and report.html of the finished run.</summary>
    public async Task WriteRecordAsync(RunRecord run, SceneInfo scene, PolygonSummary polygons, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await File.WriteAllTextAsync(Path.Combine(Folder, OutputNames.Run), JsonSerializer.Serialize(run, Indented), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(
            Path.Combine(Folder, OutputNames.StacItem), StacItems.Create(run, scene, polygons).ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
        await RunReport.WriteAsync(Folder, run, scene, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes what is unfinished (the temporary rows files); finished outputs stay.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _probability.Dispose();
        _mask.Dispose();
        ArrayPool<byte>.Shared.Return(_maskRows);
    }

    /// <summary>Mask from probabilities: 1 at or above the threshold, 0 below, nodata where the probability is NaN.</summary>
    private static (long Valid, long Landslide) Threshold(ReadOnlySpan<float> probabilities, Span<byte> mask, double threshold)
    {
        long valid = 0, landslide = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (float.IsNaN(p))
            {
                mask[i] = MaskValues.NoData;
                continue;
            }

            valid++;
            var hit = p >= threshold;
            mask[i] = hit ? MaskValues.Landslide : MaskValues.Background;
            landslide += hit ? 1 : 0;
        }

        return (valid, landslide);
    }

    private void WriteQuicklooks(StageTimings timings) =>
        timings.Time("quicklook", () =>
        {
            QuicklookWriter.Write(Path.Combine(Folder, OutputNames.Quicklook), _quicklook.Width, _quicklook.Height, _quicklook.Render());
            QuicklookWriter.Write(Path.Combine(Folder, OutputNames.TrueColour), _quicklook.Width, _quicklook.Height, _quicklook.Render(markLandslides: false));
        });
}
