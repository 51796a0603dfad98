using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Landslide.Core.Segmentation;
using Landslide.Inference;
using Landslide.TestSupport;

namespace Landslide.Benchmarks.Inference;

/// <summary>
/// OnnxSegmenter throughput on 16 tiles of a 3-layer 3x3 conv model (23 -> 16 -> 16 -> 2, about 0.19 GFLOP per
/// tile) by batch size, batch 1 as baseline. Reported time is per tile (OperationsPerInvoke), so tiles/s = 1 / Mean.
/// Short run, in process: an out-of-process toolchain would rebuild the solution into the shared artifacts folder.
/// Run: dotnet build benchmarks/Landslide.Benchmarks -c Release --artifacts-path /tmp/art-bench, then
/// dotnet /tmp/art-bench/bin/Landslide.Benchmarks/release_linux-x64/Landslide.Benchmarks.dll --filter '*SegmenterThroughput*'
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class SegmenterThroughputBenchmarks : IDisposable
{
    private const int Tiles = 16;

    private readonly float[] _features = new float[Tiles * ModelContract.FeatureValuesPerTile];
    private readonly float[] _probabilities = new float[Tiles * ModelContract.PixelsPerTile];
    private OnnxSegmenter? _batch1;
    private OnnxSegmenter? _batch4;
    private OnnxSegmenter? _batch16;

    [GlobalSetup]
    public void Setup()
    {
        var model = TinyOnnxModels.Conv3x3Stack(width: 16, layers: 3, seed: 1);
        _batch1 = OnnxSegmenter.FromBytes(model, null, new InferenceOptions { BatchSize = 1 });
        _batch4 = OnnxSegmenter.FromBytes(model, null, new InferenceOptions { BatchSize = 4 });
        _batch16 = OnnxSegmenter.FromBytes(model, null, new InferenceOptions { BatchSize = 16 });
        var random = new Random(3);
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i] = (float)random.NextDouble();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Tiles)]
    public ValueTask Batch1() => _batch1!.SegmentAsync(_features, _probabilities, Tiles, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Tiles)]
    public ValueTask Batch4() => _batch4!.SegmentAsync(_features, _probabilities, Tiles, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Tiles)]
    public ValueTask Batch16() => _batch16!.SegmentAsync(_features, _probabilities, Tiles, CancellationToken.None);

    [GlobalCleanup]
    public void Dispose()
    {
        _batch1?.Dispose();
        _batch4?.Dispose();
        _batch16?.Dispose();
        GC.SuppressFinalize(this);
    }
}
