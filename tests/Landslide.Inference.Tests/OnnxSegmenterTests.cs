using System.ComponentModel.DataAnnotations;
using Landslide.Core.Segmentation;
using Landslide.Inference;
using Landslide.TestSupport;

namespace Landslide.Inference.Tests;

public sealed class OnnxSegmenterTests : IDisposable
{
    private const int Pixels = ModelContract.PixelsPerTile;
    private const int TileValues = ModelContract.FeatureValuesPerTile;

    private readonly string _root = Directory.CreateTempSubdirectory("landslide-inference-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Segment_MatchesHandComputation_OfPerPixelModel()
    {
        var (weights, bias) = TinyOnnxModels.RandomPerPixelWeights(seed: 7);
        using var segmenter = OnnxSegmenter.FromBytes(TinyOnnxModels.PerPixel(weights, bias), null, new InferenceOptions { BatchSize = 2 });
        const int count = 5;
        var features = RandomFeatures(count, seed: 3);
        var actual = new float[count * Pixels];
        var expected = new float[count * Pixels];

        await segmenter.SegmentAsync(features, actual, count, CancellationToken.None);

        TinyOnnxModels.PerPixelReference(features, count, weights, bias, expected);
        AssertClose(expected, actual, 1e-5f);
        Assert.Contains(actual, p => p < 0.2f);
        Assert.Contains(actual, p => p > 0.8f);
    }

    [Fact]
    public async Task Segment_PreservesTileOrder_AcrossBatchSplits()
    {
        using var segmenter = OnnxSegmenter.FromBytes(TinyOnnxModels.Passthrough(channel: 5), null, new InferenceOptions { BatchSize = 3 });
        const int count = 7;
        var features = new float[count * TileValues];
        for (var t = 0; t < count; t++)
        {
            // Channel 5 of tile t holds t + pixel / 2^15: distinct per tile and per pixel, exact in float32.
            var channel = features.AsSpan((t * TileValues) + (5 * Pixels), Pixels);
            for (var p = 0; p < Pixels; p++)
            {
                channel[p] = t + (p / 32768f);
            }
        }

        var actual = new float[count * Pixels];
        await segmenter.SegmentAsync(features, actual, count, CancellationToken.None);

        Assert.Equal(3, segmenter.BatchSize);
        for (var t = 0; t < count; t++)
        {
            var expected = features.AsSpan((t * TileValues) + (5 * Pixels), Pixels).ToArray();
            Assert.Equal(expected, actual.AsSpan(t * Pixels, Pixels).ToArray());
        }
    }

    [Fact]
    public async Task Segment_WithChannelSumModel_IgnoresOtherChannels()
    {
        using var segmenter = OnnxSegmenter.FromBytes(TinyOnnxModels.ChannelSum(3, 7), null, new InferenceOptions());
        var features = new float[TileValues];
        features.AsSpan(3 * Pixels, Pixels).Fill(0.5f);
        features.AsSpan(7 * Pixels, Pixels).Fill(1.0f);
        features.AsSpan(12 * Pixels, Pixels).Fill(100f);
        var actual = new float[Pixels];

        await segmenter.SegmentAsync(features, actual, 1, CancellationToken.None);

        Assert.All(actual, p => Assert.Equal(1 / (1 + MathF.Exp(-1.5f)), p, 1e-6f));
    }

    [Fact]
    public async Task Segment_FixedBatchModel_PadsTheShortLastBatch()
    {
        var (weights, bias) = TinyOnnxModels.RandomPerPixelWeights(seed: 11);
        using var segmenter = OnnxSegmenter.FromBytes(TinyOnnxModels.FixedBatch(4, weights, bias), null, new InferenceOptions { BatchSize = 16 });
        const int count = 6;
        var features = RandomFeatures(count, seed: 5);
        var actual = new float[count * Pixels];
        var expected = new float[count * Pixels];

        await segmenter.SegmentAsync(features, actual, count, CancellationToken.None);

        Assert.Equal(4, segmenter.BatchSize);
        TinyOnnxModels.PerPixelReference(features, count, weights, bias, expected);
        AssertClose(expected, actual, 1e-5f);
    }

    public static TheoryData<string, ModelContractError, string> BrokenModels => new()
    {
        { nameof(TinyOnnxModels.WrongInputName), ModelContractError.MissingInput, "'input'" },
        { nameof(TinyOnnxModels.WrongChannelCount), ModelContractError.WrongInputShape, "[N, 14, 128, 128]" },
        { nameof(TinyOnnxModels.WrongTileSize), ModelContractError.WrongInputShape, "[N, 23, 64, 64]" },
        { nameof(TinyOnnxModels.WrongOutputName), ModelContractError.MissingOutput, "'output'" },
        { nameof(TinyOnnxModels.TwoChannelOutput), ModelContractError.WrongOutputShape, "[N, 2, 128, 128]" },
        { nameof(TinyOnnxModels.DoubleInput), ModelContractError.WrongElementType, "Double" },
        { "Garbage", ModelContractError.NotAnOnnxModel, "ONNX Runtime" },
    };

    [Theory]
    [MemberData(nameof(BrokenModels))]
    public void FromBytes_RefusesContractBreakingModel_WithItsCode(string model, ModelContractError code, string named)
    {
        var bytes = model switch
        {
            nameof(TinyOnnxModels.WrongInputName) => TinyOnnxModels.WrongInputName(),
            nameof(TinyOnnxModels.WrongChannelCount) => TinyOnnxModels.WrongChannelCount(),
            nameof(TinyOnnxModels.WrongTileSize) => TinyOnnxModels.WrongTileSize(),
            nameof(TinyOnnxModels.WrongOutputName) => TinyOnnxModels.WrongOutputName(),
            nameof(TinyOnnxModels.TwoChannelOutput) => TinyOnnxModels.TwoChannelOutput(),
            nameof(TinyOnnxModels.DoubleInput) => TinyOnnxModels.DoubleInput(),
            _ => "not a model"u8.ToArray(),
        };

        var error = Assert.Throws<ModelContractException>(() => OnnxSegmenter.FromBytes(bytes, null, new InferenceOptions()));

        Assert.Equal(code, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_VersionFolder_UsesTheManifest()
    {
        var model = TinyOnnxModels.ChannelSum(0);
        var folder = TinyOnnxModels.WriteVersionFolder(_root, "2026-11-25.1", model, threshold: 0.7);

        using var segmenter = OnnxSegmenter.Open(new InferenceOptions { ModelPath = folder });

        Assert.Equal("2026-11-25.1", segmenter.Model.Version);
        Assert.Equal(0.7, segmenter.Model.Threshold);
        Assert.Equal(ModelManifestLoader.ComputeSha256(model), segmenter.Model.Sha256);
        Assert.Equal(ModelContract.FeatureVersion, segmenter.Model.FeatureVersion);
        var probabilities = new float[Pixels];
        await segmenter.SegmentAsync(new float[TileValues], probabilities, 1, CancellationToken.None);
        Assert.All(probabilities, p => Assert.Equal(0.5f, p));
    }

    [Fact]
    public void Open_RefusesManifest_WithWrongSha256()
    {
        var wrong = new string('a', 64);
        var folder = TinyOnnxModels.WriteVersionFolder(_root, "v1", TinyOnnxModels.ChannelSum(0), sha256: wrong);

        var error = Assert.Throws<ModelContractException>(() => OnnxSegmenter.Open(new InferenceOptions { ModelPath = folder }));

        Assert.Equal(ModelContractError.Sha256Mismatch, error.Code);
        Assert.Contains(wrong, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBytes_RefusesBytes_ThatDoNotMatchTheManifest()
    {
        var manifest = TinyOnnxModels.ManifestFor("v1", TinyOnnxModels.ChannelSum(0));

        var error = Assert.Throws<ModelContractException>(
            () => OnnxSegmenter.FromBytes(TinyOnnxModels.ChannelSum(1), manifest, new InferenceOptions()));

        Assert.Equal(ModelContractError.Sha256Mismatch, error.Code);
    }

    [Fact]
    public void Open_BareOnnxFile_TakesVersionFromFileName()
    {
        var path = Path.Combine(_root, "candidate.onnx");
        File.WriteAllBytes(path, TinyOnnxModels.ChannelSum(0));

        using var segmenter = OnnxSegmenter.Open(new InferenceOptions { ModelPath = path });

        Assert.Equal("candidate", segmenter.Model.Version);
        Assert.Equal(0.5, segmenter.Model.Threshold);
    }

    [Fact]
    public void Open_PackagesModelOnnx_NamedDirectly_ReadsTheManifestBesideIt()
    {
        var model = TinyOnnxModels.ChannelSum(0);
        var folder = TinyOnnxModels.WriteVersionFolder(_root, "2026-11-29.1", model, threshold: 0.8);

        using var segmenter = OnnxSegmenter.Open(new InferenceOptions { ModelPath = Path.Combine(folder, ModelManifest.ModelFileName) });

        Assert.Equal("2026-11-29.1", segmenter.Model.Version);
        Assert.Equal(0.8, segmenter.Model.Threshold);
    }

    [Fact]
    public void Open_PackagesModelOnnx_NamedDirectly_StillChecksTheSha256()
    {
        var folder = TinyOnnxModels.WriteVersionFolder(_root, "v2", TinyOnnxModels.ChannelSum(0), sha256: new string('b', 64));

        var error = Assert.Throws<ModelContractException>(
            () => OnnxSegmenter.Open(new InferenceOptions { ModelPath = Path.Combine(folder, ModelManifest.ModelFileName) }));

        Assert.Equal(ModelContractError.Sha256Mismatch, error.Code);
    }

    [Fact]
    public void Open_MissingModel_SaysWhere()
    {
        var path = Path.Combine(_root, "nope");

        var error = Assert.Throws<ModelContractException>(() => OnnxSegmenter.Open(new InferenceOptions { ModelPath = path }));

        Assert.Equal(ModelContractError.ModelNotFound, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segment_CancelledAfterFirstBatch_StopsBeforeTheNext()
    {
        using var segmenter = OnnxSegmenter.FromBytes(TinyOnnxModels.ChannelSum(0), null, new InferenceOptions { BatchSize = 2 });
        using var cts = new CancellationTokenSource();
        var batches = new List<int>();
        segmenter.BatchCompleted = done =>
        {
            batches.Add(done);
            cts.Cancel();
        };
        const int count = 6;
        var probabilities = new float[count * Pixels];
        Array.Fill(probabilities, float.NaN);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await segmenter.SegmentAsync(new float[count * TileValues], probabilities, count, cts.Token));

        Assert.Equal([2], batches);
        Assert.All(probabilities.AsSpan(0, 2 * Pixels).ToArray(), p => Assert.Equal(0.5f, p));
        Assert.All(probabilities.AsSpan(2 * Pixels).ToArray(), p => Assert.True(float.IsNaN(p)));
    }

    [Fact]
    public async Task Segment_AlreadyCancelled_WritesNothing()
    {
        using var segmenter = OnnxSegmenter.FromBytes(TinyOnnxModels.ChannelSum(0), null, new InferenceOptions());
        var probabilities = new float[Pixels];
        Array.Fill(probabilities, float.NaN);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await segmenter.SegmentAsync(new float[TileValues], probabilities, 1, new CancellationToken(canceled: true)));

        Assert.All(probabilities, p => Assert.True(float.IsNaN(p)));
    }

    [Fact]
    public async Task PreferCuda_FallsBackToCpu_WhereCudaIsMissing()
    {
        // This machine has the CPU package and no GPU: appending CUDA throws and the segmenter must still run.
        using var segmenter = OnnxSegmenter.FromBytes(TinyOnnxModels.ChannelSum(0), null, new InferenceOptions { PreferCuda = true });

        Assert.Equal(OnnxSegmenter.CpuProvider, segmenter.ExecutionProvider);
        var probabilities = new float[Pixels];
        await segmenter.SegmentAsync(new float[TileValues], probabilities, 1, CancellationToken.None);
        Assert.All(probabilities, p => Assert.Equal(0.5f, p));
    }

    [Fact]
    public void Options_OutOfRange_AreRefused()
    {
        var error = Assert.Throws<ValidationException>(
            () => OnnxSegmenter.FromBytes(TinyOnnxModels.ChannelSum(0), null, new InferenceOptions { BatchSize = 0 }));

        Assert.Contains(nameof(InferenceOptions.BatchSize), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segment_ShortBuffers_AreRefused()
    {
        using var segmenter = OnnxSegmenter.FromBytes(TinyOnnxModels.ChannelSum(0), null, new InferenceOptions());

        var error = await Assert.ThrowsAsync<ArgumentException>(
            async () => await segmenter.SegmentAsync(new float[TileValues], new float[2 * Pixels], 2, CancellationToken.None));

        Assert.Equal("features", error.ParamName);
    }

    [Fact]
    public async Task Segment_ConcurrentCalls_EachGetTheirOwnResult()
    {
        var (weights, bias) = TinyOnnxModels.RandomPerPixelWeights(seed: 2);
        using var segmenter = OnnxSegmenter.FromBytes(TinyOnnxModels.PerPixel(weights, bias), null, new InferenceOptions { BatchSize = 2 });
        var inputs = Enumerable.Range(0, 4).Select(i => RandomFeatures(3, seed: 100 + i)).ToArray();
        var outputs = inputs.Select(_ => new float[3 * Pixels]).ToArray();

        await Task.WhenAll(inputs.Select((features, i) =>
            Task.Run(async () => await segmenter.SegmentAsync(features, outputs[i], 3, CancellationToken.None))));

        for (var i = 0; i < inputs.Length; i++)
        {
            var expected = new float[3 * Pixels];
            TinyOnnxModels.PerPixelReference(inputs[i], 3, weights, bias, expected);
            AssertClose(expected, outputs[i], 1e-5f);
        }
    }

    private static float[] RandomFeatures(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count * TileValues];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)((random.NextDouble() * 2) - 0.5);
        }

        return features;
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        var at = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = MathF.Abs(expected[i] - actual[i]);
            if (!(diff <= tolerance) && (at < 0 || diff > worst))
            {
                worst = diff;
                at = i;
            }
        }

        Assert.True(at < 0, $"value {at}: expected {(at < 0 ? 0 : expected[at])}, got {(at < 0 ? 0 : actual[at])}");
    }
}
