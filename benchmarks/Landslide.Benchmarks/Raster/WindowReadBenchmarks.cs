using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;

namespace Landslide.Benchmarks.Raster;

/// <summary>
/// How a chunk worker should read a 1024 x 1024 x 14 float32 GeoTIFF (256 px DEFLATE tiles): one GDAL read per
/// 128 x 128 model tile (baseline) or one read of the whole chunk. Each operation opens the scene fresh, so GDAL's
/// block cache starts cold (the OS page cache stays warm) and decompression is counted. Time is per model tile.
/// Run: dotnet build benchmarks/Landslide.Benchmarks -c Release --artifacts-path /tmp/art-raster-bench, then
/// dotnet /tmp/art-raster-bench/bin/Landslide.Benchmarks/release_linux-x64/Landslide.Benchmarks.dll --filter '*WindowRead*'
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class WindowReadBenchmarks : IDisposable
{
    private const int Size = 1024;
    private const int Tile = 128;
    private const int Bands = 14;
    private const int Tiles = Size / Tile * (Size / Tile);

    private readonly TempDirectory _temp = new("bench-window-read");
    private readonly float[] _tile = new float[Bands * Tile * Tile];
    private readonly float[] _chunk = new float[Bands * Size * Size];
    private string _path = string.Empty;

    [GlobalSetup]
    public void Setup()
        => _path = new SceneBuilder { Width = Size, Height = Size }
            .Write(_temp.File("scene.tif"), (b, x, y) => (b * 0.1f) + MathF.Sin(x * 0.05f) + MathF.Cos(y * 0.03f));

    [Benchmark(Baseline = true, OperationsPerInvoke = Tiles)]
    public float ReadPerTile()
    {
        using var scene = RasterScene.Open(_path);
        var sum = 0f;
        for (var ty = 0; ty < Size; ty += Tile)
        {
            for (var tx = 0; tx < Size; tx += Tile)
            {
                scene.ReadWindow(tx, ty, Tile, Tile, _tile);
                sum += _tile[0];
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Tiles)]
    public float ReadWholeChunk()
    {
        using var scene = RasterScene.Open(_path);
        scene.ReadWindow(0, 0, Size, Size, _chunk);
        return _chunk[0];
    }

    [GlobalCleanup]
    public void Dispose() => _temp.Dispose();
}
