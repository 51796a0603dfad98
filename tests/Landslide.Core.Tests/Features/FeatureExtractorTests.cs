using Landslide.Core.Features;
using Landslide.Core.Segmentation;

namespace Landslide.Core.Tests.Features;

public sealed class FeatureExtractorTests
{
    private const int Size = ModelContract.TileSize;
    private const int Pixels = ModelContract.PixelsPerTile;

    [Fact]
    public void Compute_ConstantPatch_GivesZeroLocalChannelsAndNoNaN()
    {
        var bands = new float[ModelContract.BandValuesPerTile];
        Array.Fill(bands, 0.75f);
        var features = new float[ModelContract.FeatureValuesPerTile];

        FeatureExtractor.Compute(bands, features);

        Assert.All(features, v => Assert.True(float.IsFinite(v)));
        foreach (var c in new[] { 14, 15, 16, 17, 18, 19, 21, 22 })
        {
            Assert.All(Channel(features, c).ToArray(), v => Assert.Equal(0f, v));
        }

        Assert.All(Channel(features, 20).ToArray(), v => Assert.Equal(0.75f, v, 1e-6f));
    }

    [Fact]
    public void Compute_AllZeroPatch_GivesFiniteZeros()
    {
        var features = new float[ModelContract.FeatureValuesPerTile];

        FeatureExtractor.Compute(new float[ModelContract.BandValuesPerTile], features);

        Assert.All(features, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Compute_NegativeIndexSum_UsesMaxNotAbsInTheDenominator()
    {
        var bands = new float[ModelContract.BandValuesPerTile];

        // NIR - red = -0.5 with NIR + red = -0.1: max(sum, 1e-8) gives -0.5 / 1e-8; abs() would have given -5.
        Channel(bands, 7).Fill(-0.3f);
        Channel(bands, 3).Fill(0.2f);
        var features = new float[ModelContract.FeatureValuesPerTile];

        FeatureExtractor.Compute(bands, features);

        Assert.Equal(-0.5f / 1e-8f, features[17 * Pixels], -0.5f / 1e-8f * -1e-6f);
        Assert.All(features, v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void Compute_BoxBlur_AnchorsTheEvenKernelAtFive()
    {
        // One bright gray pixel at the top-left corner: g8 = 255 there, 0 elsewhere. A 10 x 10 window anchored at (5,5)
        // spans [x-5, x+4], so the corner pixel reaches outputs 0..5 (a 6 x 6 block); reflect-101 never mirrors the
        // edge pixel itself. 255 / 100 = 2.55 rounds to 3.
        var features = ComputeFromGray((0, 0));

        var blur = Channel(features, 21);
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var expected = x <= 5 && y <= 5 ? 3f / 255 : 0f;
                Assert.Equal(expected, blur[(y * Size) + x], 1e-7f);
            }
        }
    }

    [Fact]
    public void Compute_BoxBlur_BottomRightCornerReachesFiveByFive()
    {
        var features = ComputeFromGray((Size - 1, Size - 1));

        var blur = Channel(features, 21);
        var lit = 0;
        foreach (var v in blur)
        {
            lit += v > 0 ? 1 : 0;
        }

        Assert.Equal(25, lit);
        Assert.Equal(3f / 255, blur[(123 * Size) + 123], 1e-7f);
        Assert.Equal(0f, blur[(122 * Size) + 127]);
    }

    [Fact]
    public void Compute_BoxBlur_ReflectsWithoutRepeatingTheEdge()
    {
        // Bright pixel at column 1 of row 0. Output (0,0) spans columns [-5, 4] -> 5 4 3 2 1 0 1 2 3 4 under reflect-101:
        // column 1 is counted twice (510 / 100 = 5.1 -> 5). Plain reflect (-1 -> 0) would count it once.
        var features = ComputeFromGray((1, 0));

        Assert.Equal(5f / 255, Channel(features, 21)[0], 1e-7f);
    }

    [Fact]
    public void Compute_Median_ReplicatesTheBorder()
    {
        // A 4 x 4 bright block in the corner. With a replicated border the 15 x 15 window at (0,0) sees 11 x 11 = 121
        // bright values of 225, above the median rank 113; reflect-101 would give 7 x 7 = 49. Everywhere else the
        // window holds fewer than 113 bright values.
        var block = new List<(int X, int Y)>();
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                block.Add((x, y));
            }
        }

        var features = ComputeFromGray([.. block]);

        var median = Channel(features, 22);
        Assert.Equal(1f, median[0]);
        Assert.Equal(1, median.ToArray().Count(v => v > 0));
    }

    [Fact]
    public void Filters_MatchBruteForceOnRandomAndSmoothImages()
    {
        var random = new Random(1234);
        var noise = new byte[Pixels];
        random.NextBytes(noise);
        var smooth = new byte[Pixels];
        for (var i = 0; i < Pixels; i++)
        {
            smooth[i] = (byte)((i % Size) + (i / Size) + random.Next(0, 3));
        }

        foreach (var image in new[] { noise, smooth })
        {
            var box = new byte[Pixels];
            ByteImageFilters.BoxBlur(image, Size, Size, 10, box, new int[ByteImageFilters.BoxScratchLength(Size, Size, 10)]);
            var med = new byte[Pixels];
            ByteImageFilters.MedianBlur(image, Size, Size, 15, med, new byte[ByteImageFilters.MedianScratchLength(Size, Size, 15)]);

            Assert.Equal(BruteForce.Box(image, Size, Size, 10), box);
            Assert.Equal(BruteForce.Median(image, Size, Size, 15), med);
        }
    }

    [Fact]
    public void Filters_HandleNonSquareImagesAndOtherKernels()
    {
        var random = new Random(99);
        var image = new byte[37 * 23];
        random.NextBytes(image);
        // Power-of-two areas are left out: OpenCV's fixed-point divide rounds those differently from round-half-up.
        foreach (var k in new[] { 3, 6, 7, 10 })
        {
            var box = new byte[image.Length];
            ByteImageFilters.BoxBlur(image, 37, 23, k, box, new int[ByteImageFilters.BoxScratchLength(37, 23, k)]);
            Assert.Equal(BruteForce.Box(image, 37, 23, k), box);
        }

        foreach (var k in new[] { 3, 5, 9, 15 })
        {
            var med = new byte[image.Length];
            ByteImageFilters.MedianBlur(image, 37, 23, k, med, new byte[ByteImageFilters.MedianScratchLength(37, 23, k)]);
            Assert.Equal(BruteForce.Median(image, 37, 23, k), med);
        }
    }

    [Fact]
    public void ComputeBatch_ParallelEqualsSequentialEqualsSingle()
    {
        const int count = 5;
        var random = new Random(7);
        var bands = new float[count * ModelContract.BandValuesPerTile];
        for (var i = 0; i < bands.Length; i++)
        {
            bands[i] = (float)(0.5 + random.NextDouble());
        }

        var sequential = new float[count * ModelContract.FeatureValuesPerTile];
        var parallel = new float[sequential.Length];
        var single = new float[ModelContract.FeatureValuesPerTile];

        FeatureExtractor.ComputeBatch(bands, sequential, count);
        FeatureExtractor.ComputeBatch(bands.AsMemory(), parallel.AsMemory(), count, maxDegreeOfParallelism: -1);
        FeatureExtractor.Compute(bands.AsSpan(3 * ModelContract.BandValuesPerTile), single);

        Assert.Equal(sequential, parallel);
        Assert.Equal(single, sequential.AsSpan(3 * ModelContract.FeatureValuesPerTile, single.Length).ToArray());
    }

    [Fact]
    public void ComputeBatch_TooShortBuffers_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => FeatureExtractor.ComputeBatch(new float[ModelContract.BandValuesPerTile], new float[2 * ModelContract.FeatureValuesPerTile], 2));
    }

    private static float[] ComputeFromGray(params (int X, int Y)[] bright)
    {
        var bands = new float[ModelContract.BandValuesPerTile];
        foreach (var (x, y) in bright)
        {
            foreach (var b in new[] { 1, 2, 3 })
            {
                bands[(b * Pixels) + (y * Size) + x] = 1f;
            }
        }

        var features = new float[ModelContract.FeatureValuesPerTile];
        FeatureExtractor.Compute(bands, features);
        return features;
    }

    private static Span<float> Channel(float[] chw, int channel) => chw.AsSpan(channel * Pixels, Pixels);
}
