using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Landslide.Core.Blending;
using Landslide.Core.Samples;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;

namespace Landslide.Benchmarks.Tiling;

/// <summary>
/// Cutting every tile of a 1024 x 1024 synthetic scene (overlap 32: 11 x 11 tiles) from row strips and blending a
/// stand-in probability (the scaled red band) back, streaming tile row by tile row. No features, no model: this is the
/// pipeline's own overhead around them. Mpx/s = 1.048576 / Mean[s].
/// Run: dotnet /tmp/art-bench/bin/Landslide.Benchmarks/release_linux-x64/Landslide.Benchmarks.dll --filter '*TileAndBlend*'
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class TileAndBlendBenchmarks
{
    private const int Side = 1024;

    private readonly float[] _scene = new float[SyntheticScene.BandCount * Side * Side];
    private readonly float[] _bands = new float[ModelContract.BandValuesPerTile];
    private readonly byte[] _mask = new byte[ModelContract.PixelsPerTile];
    private readonly float[] _rows = new float[TileBlender.MaxRowsPerCompletion * Side];
    private readonly TileGrid _grid = new(Side, Side);
    private TileCutter _cutter = null!;

    [GlobalSetup]
    public void Setup()
    {
        new SyntheticScene(Side, Side, seed: 5).FillRows(0, Side, _scene, new byte[Side * Side]);
        _cutter = new TileCutter(Side, Side, BandProfile.L4s);
    }

    [Benchmark]
    public float CutAndBlendScene()
    {
        var blender = new TileBlender(_grid);
        var checksum = 0f;
        for (var row = 0; row < _grid.Rows; row++)
        {
            foreach (var tile in _grid.TilesInRow(row))
            {
                // The whole scene is the strip here; the cutter reads only the rows the tile needs.
                _cutter.Cut(_scene, 0, Side, tile, _bands, _mask);
                blender.Accumulate(tile, _bands.AsSpan(3 * ModelContract.PixelsPerTile, ModelContract.PixelsPerTile), _mask);
            }

            var (start, _) = blender.CompleteRow(_rows);
            checksum += _rows[start % 7];
        }

        return checksum;
    }

}
