using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Landslide.Core.Scenes;
using Landslide.Raster.Polygons;
using Landslide.Raster.Writers;
using Landslide.TestSupport;

namespace Landslide.Benchmarks.Raster;

/// <summary>
/// Finalizer cost on a 4096 x 4096 mask with 4,096 square detections (20 x 20 px every 64 px): writing the mask COG
/// (baseline) against polygonizing it with per-polygon statistics into GeoJSON.
/// Run: dotnet build benchmarks/Landslide.Benchmarks -c Release --artifacts-path /tmp/art-raster-bench, then
/// dotnet /tmp/art-raster-bench/bin/Landslide.Benchmarks/release_linux-x64/Landslide.Benchmarks.dll --filter '*Polygonize*'
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class PolygonizeBenchmarks : IDisposable
{
    private const int Size = 4096;
    private const int BlockRows = 256;

    private readonly TempDirectory _temp = new("bench-polygonize");
    private readonly byte[] _maskRows = new byte[BlockRows * Size];
    private readonly byte[] _probabilityRows = new byte[BlockRows * Size];
    private SceneInfo _grid = null!;

    [GlobalSetup]
    public void Setup()
    {
        _grid = new SceneBuilder { Width = Size, Height = Size, BandCount = 1, BandType = BandDataType.Byte, NoData = 255 }.Layout;

        // The pattern repeats every 64 rows, so one 256-row block serves every block of the raster.
        for (var r = 0; r < BlockRows; r++)
        {
            for (var x = 0; x < Size; x++)
            {
                var inBlob = x % 64 < 20 && r % 64 < 20;
                _maskRows[(r * Size) + x] = inBlob ? (byte)1 : (byte)0;
                _probabilityRows[(r * Size) + x] = inBlob ? (byte)200 : (byte)10;
            }
        }

        WriteCog(_temp.File("mask.tif"), _maskRows, OverviewResampling.Nearest);
        WriteCog(_temp.File("probability.tif"), _probabilityRows, OverviewResampling.Average);
    }

    [Benchmark(Baseline = true)]
    public void WriteMaskCog() => WriteCog(_temp.File("mask-copy.tif"), _maskRows, OverviewResampling.Nearest);

    [Benchmark]
    public PolygonSummary Polygonize()
        => LandslidePolygonizer.Write(_temp.File("mask.tif"), _temp.File("probability.tif"), _temp.File("landslides.geojson"), new PolygonizeOptions());

    [GlobalCleanup]
    public void Dispose() => _temp.Dispose();

    private void WriteCog(string path, byte[] rows, OverviewResampling resampling)
    {
        using var writer = CogWriter.Create(path, _grid, RasterPixelType.Byte, noData: 255, resampling);
        for (var y = 0; y < Size; y += BlockRows)
        {
            writer.WriteRows(y, rows);
        }

        writer.Complete();
    }
}
