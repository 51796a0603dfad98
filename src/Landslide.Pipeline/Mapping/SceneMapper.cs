using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Landslide.Core.Blending;
using Landslide.Core.Features;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;
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
        var options = request.Options;
        var startedAt = DateTimeOffset.UtcNow;
        var timings = new StageTimings();
        var total = Stopwatch.StartNew();

        using var scene = timings.Time("validate", () => RasterScene.Open(request.ScenePath));
        var info = scene.Info;
        var profile = BandProfile.Parse(options.BandProfile);
        var noData = info.NoData ?? profile.NoData;
        timings.Time("validate", () =>
        {
            new SceneValidator(request.Limits).Validate(info);
            scene.ThrowIfAllNodata(noData, cancellationToken);
        });

        var sceneName = Path.GetFileNameWithoutExtension(request.ScenePath);
        var runId = RunIds.Create(sceneName, request.BlobVersion ?? FileFingerprint(request.ScenePath), segmenter.Model.Version);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Scene"] = sceneName, ["RunId"] = runId });

        var grid = new TileGrid(info.Width, info.Height, options.Overlap);
        var threshold = options.Threshold ?? segmenter.Model.Threshold;
        LogStarting(sceneName, info.Width, info.Height, grid.TileCount, segmenter.Model.Version);
        Directory.CreateDirectory(request.OutputDirectory);
        var probabilityPath = Path.Combine(request.OutputDirectory, OutputNames.Probability);
        var maskPath = Path.Combine(request.OutputDirectory, OutputNames.Mask);

        var counts = await StreamTilesAsync(scene, grid, profile, noData, threshold, probabilityPath, maskPath, options, timings, progress, cancellationToken)
            .ConfigureAwait(false);

        progress?.Report(new MapProgress("polygonize", grid.TileCount, grid.TileCount));
        var polygonsPath = Path.Combine(request.OutputDirectory, OutputNames.Polygons);
        var polygons = timings.Time("polygonize", () => LandslidePolygonizer.Write(
            maskPath, probabilityPath, polygonsPath, new PolygonizeOptions { MinAreaM2 = options.MinAreaM2 }, cancellationToken));

        timings.Time("quicklook", () => QuicklookWriter.Write(
            Path.Combine(request.OutputDirectory, OutputNames.Quicklook), counts.Quicklook.Width, counts.Quicklook.Height, counts.Quicklook.Render()));

        timings.Add("total", total.Elapsed);
        var run = new RunRecord
        {
            RunId = runId,
            Scene = new RunScene(
                Path.GetFullPath(request.ScenePath), request.BlobVersion, info.Width, info.Height, info.Epsg, info.GeoTransform.ToArray(), profile.Name, noData),
            Model = new RunModel(segmenter.Model.Version, segmenter.Model.Sha256, segmenter.Model.FeatureVersion, segmenter.Model.Width),
            Settings = new RunSettings(threshold, options.Overlap, options.BatchSize, options.MinAreaM2),
            Counts = new RunCounts(grid.TileCount, counts.ValidPixels, counts.LandslidePixels, polygons.Count, polygons.TotalAreaM2),
            TimingsSeconds = timings.ToSeconds(),
            Outputs = [OutputNames.Mask, OutputNames.Probability, OutputNames.Polygons, OutputNames.Quicklook, OutputNames.Run, OutputNames.StacItem],
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.UtcNow,
        };

        await WriteJsonAsync(Path.Combine(request.OutputDirectory, OutputNames.Run), run, cancellationToken).ConfigureAwait(false);
        await WriteJsonAsync(Path.Combine(request.OutputDirectory, OutputNames.StacItem), StacItems.Create(run, info, polygons), cancellationToken)
            .ConfigureAwait(false);
        LogFinished(sceneName, polygons.Count, polygons.TotalAreaM2, total.Elapsed.TotalSeconds);
        return new MapResult(request.OutputDirectory, run);
    }

    private async Task<StreamCounts> StreamTilesAsync(
        RasterScene scene,
        TileGrid grid,
        BandProfile profile,
        double? noData,
        double threshold,
        string probabilityPath,
        string maskPath,
        MapOptions options,
        StageTimings timings,
        IProgress<MapProgress>? progress,
        CancellationToken cancellationToken)
    {
        var info = scene.Info;
        var width = info.Width;
        var batchSize = options.BatchSize;
        var quicklook = new QuicklookBuilder(info.Width, info.Height, options.QuicklookSize);
        var blender = new TileBlender(grid);
        var cutter = new TileCutter(info.Width, info.Height, profile, noData);

        var strip = ArrayPool<float>.Shared.Rent(ModelContract.InputBands * TileGrid.TileSize * width);
        var tileBands = ArrayPool<float>.Shared.Rent(batchSize * ModelContract.BandValuesPerTile);
        var valid = ArrayPool<byte>.Shared.Rent(batchSize * ModelContract.PixelsPerTile);
        var features = ArrayPool<float>.Shared.Rent(batchSize * ModelContract.FeatureValuesPerTile);
        var probabilities = ArrayPool<float>.Shared.Rent(batchSize * ModelContract.PixelsPerTile);
        var finalRows = ArrayPool<float>.Shared.Rent(TileBlender.MaxRowsPerCompletion * width);
        var maskRows = ArrayPool<byte>.Shared.Rent(TileBlender.MaxRowsPerCompletion * width);
        var tiles = new TileWindow[batchSize];
        long validPixels = 0, landslidePixels = 0, tilesDone = 0;
        try
        {
            using var probabilityWriter = CogWriter.Create(probabilityPath, info, RasterPixelType.Float32, double.NaN, OverviewResampling.Average);
            using var maskWriter = CogWriter.Create(maskPath, info, RasterPixelType.Byte, MaskValues.NoData, OverviewResampling.Nearest);
            for (var row = 0; row < grid.Rows; row++)
            {
                // Rows the tiles of this row need, reflected rows past the bottom edge included.
                var (stripY, stripEnd) = cutter.SourceRows(row * grid.Stride);
                var stripRows = stripEnd - stripY;
                timings.Time("read", () => scene.ReadWindow(0, stripY, width, stripRows, strip.AsSpan(0, ModelContract.InputBands * stripRows * width)));

                for (var column = 0; column < grid.Columns; column += batchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var count = Math.Min(batchSize, grid.Columns - column);
                    var sw = Stopwatch.StartNew();
                    for (var t = 0; t < count; t++)
                    {
                        tiles[t] = grid[column + t, row];
                        cutter.Cut(
                            strip.AsSpan(0, ModelContract.InputBands * stripRows * width), stripY, stripRows, tiles[t],
                            tileBands.AsSpan(t * ModelContract.BandValuesPerTile, ModelContract.BandValuesPerTile),
                            valid.AsSpan(t * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile));
                    }

                    FeatureExtractor.ComputeBatch(
                        tileBands.AsSpan(0, count * ModelContract.BandValuesPerTile), features.AsSpan(0, count * ModelContract.FeatureValuesPerTile), count);
                    timings.Add("features", sw.Elapsed);

                    sw.Restart();
                    await segmenter.SegmentAsync(
                        features.AsMemory(0, count * ModelContract.FeatureValuesPerTile), probabilities.AsMemory(0, count * ModelContract.PixelsPerTile), count, cancellationToken)
                        .ConfigureAwait(false);
                    timings.Add("inference", sw.Elapsed);

                    sw.Restart();
                    for (var t = 0; t < count; t++)
                    {
                        blender.Accumulate(
                            tiles[t],
                            probabilities.AsSpan(t * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile),
                            valid.AsSpan(t * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile));
                    }

                    timings.Add("blend_write", sw.Elapsed);
                    tilesDone += count;
                    progress?.Report(new MapProgress("segment", tilesDone, grid.TileCount));
                }

                var write = Stopwatch.StartNew();
                var (start, end) = blender.CompleteRow(finalRows);
                var plane = (end - start) * width;
                var final = finalRows.AsSpan(0, plane);
                var mask = maskRows.AsSpan(0, plane);
                (var v, var l) = Threshold(final, mask, threshold);
                validPixels += v;
                landslidePixels += l;
                probabilityWriter.WriteRows(start, final);
                maskWriter.WriteRows(start, mask);
                quicklook.AddRows(strip.AsSpan(0, ModelContract.InputBands * stripRows * width), stripY, stripRows, start, mask, profile);
                timings.Add("blend_write", write.Elapsed);
            }

            progress?.Report(new MapProgress("write", grid.TileCount, grid.TileCount));
            timings.Time("cog", () =>
            {
                probabilityWriter.Complete(cancellationToken);
                maskWriter.Complete(cancellationToken);
            });
        }
        finally
        {
            ArrayPool<float>.Shared.Return(strip);
            ArrayPool<float>.Shared.Return(tileBands);
            ArrayPool<byte>.Shared.Return(valid);
            ArrayPool<float>.Shared.Return(features);
            ArrayPool<float>.Shared.Return(probabilities);
            ArrayPool<float>.Shared.Return(finalRows);
            ArrayPool<byte>.Shared.Return(maskRows);
        }

        return new StreamCounts(validPixels, landslidePixels, quicklook);
    }

    /// <summary>Mask from probabilities: 1 at or above the threshold, 0 below, nodata where the probability is NaN.</summary>
    internal static (long Valid, long Landslide) Threshold(ReadOnlySpan<float> probabilities, Span<byte> mask, double threshold)
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

    private sealed record StreamCounts(long ValidPixels, long LandslidePixels, QuicklookBuilder Quicklook);
}
