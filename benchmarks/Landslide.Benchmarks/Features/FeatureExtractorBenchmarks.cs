using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Landslide.Core.Features;
using Landslide.Core.Samples;
using Landslide.Core.Segmentation;

namespace Landslide.Benchmarks.Features;

/// <summary>
/// 14 -> 23 features on 16 realistic synthetic patches (SyntheticScene, Landslide4Sense band statistics): the naive
/// scalar transcription (baseline) against FeatureExtractor on one thread, and the batch over all cores. Time is per
/// patch (OperationsPerInvoke), so patches/s = 1 / Mean.
/// Run: dotnet build benchmarks/Landslide.Benchmarks -c Release --artifacts-path /tmp/art-bench, then
/// dotnet /tmp/art-bench/bin/Landslide.Benchmarks/release_linux-x64/Landslide.Benchmarks.dll --filter '*FeatureExtractorBenchmarks*'
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class FeatureExtractorBenchmarks
{
    private const int Patches = 16;

    private readonly float[] _bands = new float[Patches * ModelContract.BandValuesPerTile];
    private readonly float[] _features = new float[Patches * ModelContract.FeatureValuesPerTile];
    private readonly float[][] _naiveBands = new float[Patches][];
    private readonly float[] _naiveFeatures = new float[ModelContract.FeatureValuesPerTile];

    [GlobalSetup]
    public void Setup()
    {
        // A 512 x 512 scene cut into 4 x 4 patches, band-sequential per patch.
        const int side = 512;
        var scene = new SyntheticScene(side, side, seed: 11);
        var strip = new float[SyntheticScene.BandCount * side * side];
        scene.FillRows(0, side, strip, new byte[side * side]);
        for (var p = 0; p < Patches; p++)
        {
            var x0 = p % 4 * 128;
            var y0 = p / 4 * 128;
            var patch = _bands.AsSpan(p * ModelContract.BandValuesPerTile, ModelContract.BandValuesPerTile);
            for (var b = 0; b < SyntheticScene.BandCount; b++)
            {
                for (var y = 0; y < 128; y++)
                {
                    strip.AsSpan((b * side * side) + ((y0 + y) * side) + x0, 128).CopyTo(patch.Slice((b * ModelContract.PixelsPerTile) + (y * 128), 128));
                }
            }

            _naiveBands[p] = patch.ToArray();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Patches)]
    public void Naive()
    {
        for (var p = 0; p < Patches; p++)
        {
            NaiveFeatureExtractor.Compute(_naiveBands[p], _naiveFeatures);
        }
    }

    [Benchmark(OperationsPerInvoke = Patches)]
    public void FastOneThread() => FeatureExtractor.ComputeBatch(_bands, _features, Patches);

    [Benchmark(OperationsPerInvoke = Patches)]
    public void FastAllCores() => FeatureExtractor.ComputeBatch(_bands.AsMemory(), _features.AsMemory(), Patches, maxDegreeOfParallelism: -1);

}
