using System.Diagnostics;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;
using Landslide.Raster;
using Landslide.Raster.Interop;
using Landslide.Raster.Polygons;
using Landslide.Raster.Scenes;
using Microsoft.Extensions.Logging;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// Maps one scene on this machine: validate, tile, features, segment, blend, and write every output. Streams one
/// tile row at a time, so memory is bounded by a strip of 128 rows x the scene width, never by the scene height.
/// </summary>
public sealed partial class SceneMapper(ITileSegmenter segmenter, ILogger<SceneMapper> logger)
{
    /// <summary>GDAL's block cache while the outputs are finished (see <see cref="MapAsync"/>).</summary>
    internal const long OutputPhaseBlockCacheBytes = 64L << 20;

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
        using var outputs = RunOutputWriter.Create(request.OutputDirectory, info, profile, threshold, options.QuicklookSize, options.Engine);
        var tileRows = Stopwatch.StartNew();
        await new TileRowMapper(segmenter, options.Engine).MapRowsAsync(
            scene, grid, profile, noData, 0, grid.Rows, options.BatchSize, outputs, timings, progress, cancellationToken).ConfigureAwait(false);

        // Wall time of read -> blend + write; with the pipelined engine the stage times inside it overlap.
        timings.Add("tiles", tileRows.Elapsed);
        progress?.Report(new MapProgress("write", grid.TileCount, grid.TileCount));
        PolygonSummary polygons;
        if (options.Engine == MapEngine.Sequential)
        {
            polygons = await outputs.FinishAsync(filter, timings, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The run's memory peaks in the output phase: first hand back the scene's cached blocks and the pipeline's
            // strips and batches (dead now, a few hundred MB at large widths; an aggressive collection also returns the
            // pages to the OS). One run per process here, so a blocking collection costs no one else. The output phase
            // streams the rows files through GDAL's block cache, which a few dozen MB serve as well as the scene's
            // reads wanted more: the rest would only be the run's peak.
            scene.ReleaseCache();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            NativeHeap.Trim();
            using (GdalSettings.LimitBlockCache(OutputPhaseBlockCacheBytes))
            {
                polygons = await outputs.FinishAsync(filter, timings, cancellationToken).ConfigureAwait(false);
            }
        }

        timings.Add("total", total.Elapsed);
        var run = new RunRecord
        {
            RunId = runId,
            Scene = new RunScene(
                Path.GetFullPath(request.ScenePath), request.BlobVersion, info.Width, info.Height, info.Epsg, info.GeoTransform.ToArray(), profile.Name, noData),
            Model = new RunModel(segmenter.Model.Version, segmenter.Model.Sha256, segmenter.Model.FeatureVersion, segmenter.Model.Width),
            Settings = new RunSettings(threshold, options.Overlap, options.BatchSize, filter.MinAreaM2, filter.MinMeanProbability),
            Counts = new RunCounts(grid.TileCount, outputs.ValidPixels, outputs.LandslidePixels, polygons.Count, polygons.TotalAreaM2),
            TimingsSeconds = timings.ToSeconds(),
            Outputs = RunOutputWriter.Outputs,
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.UtcNow,
        };

        await outputs.WriteRecordAsync(run, info, polygons, cancellationToken).ConfigureAwait(false);
        LogFinished(sceneName, polygons.Count, polygons.TotalAreaM2, total.Elapsed.TotalSeconds);
        return new MapResult(request.OutputDirectory, run);
    }

    private static string FileFingerprint(string path)
    {
        var file = new FileInfo(path);
        return $"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mapping {Scene}: {Width} x {Height} px, {Tiles} tiles, model {ModelVersion}")]
    private partial void LogStarting(string scene, int width, int height, long tiles, string modelVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mapped {Scene}: {Polygons} landslide polygons, {AreaM2:F0} m2, in {Seconds:F1} s")]
    private partial void LogFinished(string scene, int polygons, double areaM2, double seconds);
}
