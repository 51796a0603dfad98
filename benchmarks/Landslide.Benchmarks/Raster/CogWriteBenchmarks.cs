using BenchmarkDotNet.Attributes;
using Landslide.Core.Scenes;
using Landslide.Raster.Writers;
using Landslide.TestSupport;

namespace Landslide.Benchmarks.Raster;

/// <summary>
/// COG output of one 4096 x 4096 scene as the mapper writes it (rows in 128-row blocks, then Complete): the float32
/// probability (smooth field with noise and a nodata hole) and the uint8 mask, with the earlier settings
/// (<see cref="CogWriteOptions.Baseline"/>: DEFLATE-1 temporary file, one thread) against the tuned defaults.
/// Run: dotnet build benchmarks/Landslide.Benchmarks -c Release, then
/// dotnet artifacts/bin/Landslide.Benchmarks/release_linux-x64/Landslide.Benchmarks.dll --filter '*CogWrite*'
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class CogWriteBenchmarks : IDisposable
{
    private const int Size = 4096;
    private const int BlockRows = 128;

    private readonly TempDirectory _temp = new("bench-cog");
    private readonly float[] _probability = new float[Size * Size];
    private readonly byte[] _mask = new byte[Size * Size];
    private SceneInfo _grid = null!;

    [GlobalSetup]
    public void Setup()
    {
        _grid = new SceneBuilder { Width = Size, Height = Size, BandCount = 1, BandType = BandDataType.Float32 }.Layout;
        var random = new Random(3);
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var i = (y * Size) + x;
                var hole = x is > 1000 and < 1400 && y is > 2000 and < 2600;
                var p = Math.Clamp((0.5f * MathF.Sin(x / 57f) * MathF.Cos(y / 43f)) + 0.3f + (0.05f * random.NextSingle()), 0f, 1f);
                _probability[i] = hole ? float.NaN : p;
                _mask[i] = hole ? (byte)255 : p >= 0.5f ? (byte)1 : (byte)0;
            }
        }
    }

    [Benchmark(Baseline = true)]
    public void ProbabilityBaseline() => WriteProbability(CogWriteOptions.Baseline);

    [Benchmark]
    public void ProbabilityTuned() => WriteProbability(CogWriteOptions.Default);

    [Benchmark]
    public void MaskBaseline() => WriteMask(CogWriteOptions.Baseline);

    [Benchmark]
    public void MaskTuned() => WriteMask(CogWriteOptions.Default);

    [GlobalCleanup]
    public void Dispose() => _temp.Dispose();

    private void WriteProbability(CogWriteOptions options)
    {
        using var writer = CogWriter.Create(_temp.File("probability.tif"), _grid, RasterPixelType.Float32, double.NaN, OverviewResampling.Average, options);
        for (var y = 0; y < Size; y += BlockRows)
        {
            writer.WriteRows(y, _probability.AsSpan(y * Size, BlockRows * Size));
        }

        writer.Complete();
    }

    private void WriteMask(CogWriteOptions options)
    {
        using var writer = CogWriter.Create(_temp.File("mask.tif"), _grid, RasterPixelType.Byte, 255, OverviewResampling.Nearest, options);
        for (var y = 0; y < Size; y += BlockRows)
        {
            writer.WriteRows(y, _mask.AsSpan(y * Size, BlockRows * Size));
        }

        writer.Complete();
    }
}
