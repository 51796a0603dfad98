using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Landslide.Core.Blending;
using Landslide.Core.Features;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;
using Landslide.Raster.Interop;
using Landslide.Raster.Polygons;
using Landslide.Raster.Scenes;
using Landslide.Raster.Writers;
using Microsoft.Extensions.Logging;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// Maps one scene on this machine: validate, tile, features, segment, blend, and write every output. Streams one
/// tile row at a time, so memory is bounded by a strip of 128 rows x the scene width, never by the scene height.
/// </summary>
public sealed partial class SceneMapper(ITileSegmenter segmenter, ILogger<SceneMapper> logger)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public async Task<MapResult> MapAsync(MapRequest request, IProgress<MapProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = PipelineTelemetry.StartStage("map.scene");
        var options = request.Options;
        var startedAt = DateTimeOffset.UtcNow;
        var timings = new StageTimings();
        var total = Stopwatch.StartNew();

        using var scene = timings.Time("validate", () => RasterScene.Open(request.ScenePath));
        var info = scene.Info;
        var profile = BandProfile.Parse(options.BandProfile);
        var noData = info.NoData ?? profile.NoData;
        timings.Time("validate", () => SceneChecks.Check(scene, profile, request.Limits, cancellationToken));
        var filter = DetectionFilter.Resolve(options.MinAreaM2, options.MinMeanProbability, segmenter.Model);

        var sceneName = Path.GetFileNameWithoutExtension(request.ScenePath);
        var runId = RunIds.Create(sceneName, request.BlobVersion ?? FileFingerprint(request.ScenePath), segmenter.Model.Version);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Scene"] = sceneName, ["RunId"] = runId });

        var grid = new TileGrid(info.Width, info.Height, options.Overlap);
        var threshold = options.Threshold ?? segmenter.Model.Threshold;
        LogStarting(sceneName, info.Width, info.Height, grid.TileCount, segmenter.Model.Version);
        Directory.CreateDirectory(request.OutputDirectory);
        var probabilityPath = Path.Combine(request.OutputDirectory, OutputNames.Probability);
        var maskPath = Path.Combine(request.OutputDirectory, OutputNames.Mask);

        var quicklookPath = Path.Combine(request.OutputDirectory, OutputNames.Quicklook);
        var counts = await StreamTilesAsync(
            scene, grid, profile, noData, threshold, probabilityPath, maskPath, quicklookPath, options, timings, progress, cancellationToken)
            .ConfigureAwait(false);

        progress?.Report(new MapProgress("polygonize", grid.TileCount, grid.TileCount));
        var polygonsPath = Path.Combine(request.OutputDirectory, OutputNames.Polygons);
        var polygons = timings.Time("polygonize", () => LandslidePolygonizer.Write(
            maskPath, probabilityPath, polygonsPath, filter.ToPolygonizeOptions(), cancellationToken));

        timings.Add("total", total.Elapsed);
        var run = new RunRecord
        {
            RunId = runId,
            Scene = new RunScene(
                Path.GetFullPath(request.ScenePath), request.BlobVersion, info.Width, info.Height, info.Epsg, info.GeoTransform.ToArray(), profile.Name, noData),
            Model = new RunModel(segmenter.Model.Version, segmenter.Model.Sha256, segmenter.Model.FeatureVersion, segmenter.Model.Width),
            Settings = new RunSettings(threshold, options.Overlap, options.BatchSize, filter.MinAreaM2, filter.MinMeanProbability),
            Counts = new RunCounts(grid.TileCount, counts.ValidPixels, counts.LandslidePixels, polygons.Count, polygons.TotalAreaM2),
            TimingsSeconds = timings.ToSeconds(),
            Outputs = [OutputNames.Mask, OutputNames.Probability, OutputNames.Polygons, OutputNames.Quicklook, OutputNames.Run, OutputNames.StacItem, OutputNames.Report, OutputNames.TrueColour],
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.UtcNow,
        };

        await WriteJsonAsync(Path.Combine(request.OutputDirectory, OutputNames.Run), run, cancellationToken).ConfigureAwait(false);
        await WriteJsonAsync(Path.Combine(request.OutputDirectory, OutputNames.StacItem), StacItems.Create(run, info, polygons), cancellationToken)
            .ConfigureAwait(false);
        await RunReport.WriteAsync(request.OutputDirectory, run, info, cancellationToken).ConfigureAwait(false);
        LogFinished(sceneName, polygons.Count, polygons.TotalAreaM2, total.Elapsed.TotalSeconds);
        return new MapResult(request.OutputDirectory, run);
    }

    private async Task<OutputSink> StreamTilesAsync(
        RasterScene scene,
        TileGrid grid,
        BandProfile profile,
        double? noData,
        double threshold,
        string probabilityPath,
        string maskPath,
        string quicklookPath,
        MapOptions options,
        StageTimings timings,
        IProgress<MapProgress>? progress,
        CancellationToken cancellationToken)
    {
        var info = scene.Info;
        // The sequential engine is the whole mapper as it was before pipelining (the benchmarks' baseline): earlier COG
        // settings, outputs finished one after another. Pixels are the same either way.
        var sequential = options.Engine == MapEngine.Sequential;
        var cogOptions = sequential ? CogWriteOptions.Baseline : CogWriteOptions.Default;
        using var probabilityWriter = CogWriter.Create(probabilityPath, info, RasterPixelType.Float32, double.NaN, OverviewResampling.Average, cogOptions);
        using var maskWriter = CogWriter.Create(maskPath, info, RasterPixelType.Byte, MaskValues.NoData, OverviewResampling.Nearest, cogOptions);
        var sink = new OutputSink(probabilityWriter, maskWriter, new QuicklookBuilder(info.Width, info.Height, options.QuicklookSize), profile, threshold, info.Width);
        var tileRows = Stopwatch.StartNew();
        try
        {
            await new TileRowMapper(segmenter, options.Engine).MapRowsAsync(
                scene, grid, profile, noData, 0, grid.Rows, options.BatchSize, sink, timings, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sink.Dispose();
        }

        // Wall time of read -> blend + write; with the pipelined engine the stage times inside it overlap.
        timings.Add("tiles", tileRows.Elapsed);

        progress?.Report(new MapProgress("write", grid.TileCount, grid.TileCount));

        void WriteQuicklook() =>
            timings.Time("quicklook", () =>
            {
                QuicklookWriter.Write(quicklookPath, sink.Quicklook.Width, sink.Quicklook.Height, sink.Quicklook.Render());
                QuicklookWriter.Write(
                    Path.Combine(Path.GetDirectoryName(quicklookPath)!, OutputNames.TrueColour), sink.Quicklook.Width, sink.Quicklook.Height, sink.Quicklook.Render(false));
            });
        if (sequential)
        {
            timings.Time("cog", () =>
            {
                probabilityWriter.Complete(cancellationToken);
                maskWriter.Complete(cancellationToken);
            });
            WriteQuicklook();
            return sink;
        }

        // The run's memory peaks in the COG copies: first hand back the scene's cached blocks and the pipeline's strips
        // and batches (dead now, a few hundred MB at large widths; an aggressive collection also returns the pages to
        // the OS).
        scene.ReleaseCache();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();

        // The quicklook runs beside the COG copies; the copies run one after the other (each compresses on all cores,
        // and two at once raised peak memory by a few hundred MB at 8192 x 8192 without being faster on 2 cores).
        var quicklook = Task.Run(WriteQuicklook, cancellationToken);
        var cog = Stopwatch.StartNew();
        await Task.Run(
            () =>
            {
                probabilityWriter.Complete(cancellationToken);
                maskWriter.Complete(cancellationToken);
            },
            cancellationToken).ConfigureAwait(false);
        timings.Add("cog", cog.Elapsed);
        await quicklook.ConfigureAwait(false);

        // Polygonize comes next and needs its own few hundred MB: give back what the COG copies freed first.
        NativeHeap.Trim();
        return sink;
    }

    /// <summary>Mask from probabilities: 1 at or above the threshold, 0 below, nodata where the probability is NaN.</summary>
    public static (long Valid, long Landslide) Threshold(ReadOnlySpan<float> probabilities, Span<byte> mask, double threshold)
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

    private static string FileFingerprint(string path)
    {
        var file = new FileInfo(path);
        return $"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}";
    }

    private static async Task WriteJsonAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, value, JsonOptions, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mapping {Scene}: {Width} x {Height} px, {Tiles} tiles, model {ModelVersion}")]
    private partial void LogStarting(string scene, int width, int height, long tiles, string modelVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mapped {Scene}: {Polygons} landslide polygons, {AreaM2:F0} m2, in {Seconds:F1} s")]
    private partial void LogFinished(string scene, int polygons, double areaM2, double seconds);

}
