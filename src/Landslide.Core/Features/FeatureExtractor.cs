using System.Numerics.Tensors;
using Landslide.Core.Segmentation;

namespace Landslide.Core.Features;

/// <summary>
/// The 14 -> 23 channel features of MODEL.md, computed per 128 x 128 tile. One implementation, used by
/// training and by inference.
/// </summary>
public static class FeatureExtractor
{
    private const int Size = ModelContract.TileSize;
    private const int Pixels = ModelContract.PixelsPerTile;
    private const int BlurKernel = 10;
    private const int MedianKernel = 15;

    // Band indices in Landslide4Sense order (B1..B12 without B8A, slope, DEM).
    private const int Blue = 1;
    private const int Green = 2;
    private const int Red = 3;
    private const int Nir = 7;
    private const int Swir1 = 10;
    private const int Swir2 = 11;

    // The reference divides uint8 by 255 in float64 and stores float32; a table reproduces that rounding exactly.
    private static readonly float[] s_byteToUnit = [.. Enumerable.Range(0, 256).Select(i => (float)(i / 255.0))];

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>
    /// Computes the 23 feature channels of one tile. <paramref name="bands"/> is 14 x 128 x 128 float32 in
    /// Landslide4Sense scale, band-sequential (CHW); <paramref name="features"/> receives 23 x 128 x 128 (CHW).
    /// Bands must be finite (the tile cutter replaces nodata); allocation-free after the first call on a thread.
    /// </summary>
    public static void Compute(ReadOnlySpan<float> bands, Span<float> features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands.Length, ModelContract.BandValuesPerTile);
        ArgumentOutOfRangeException.ThrowIfLessThan(features.Length, ModelContract.FeatureValuesPerTile);

        var scratch = t_scratch ??= new Scratch();
        bands[..ModelContract.BandValuesPerTile].CopyTo(features);

        MinMax(Channel(bands, Red), Channel(features, 14));
        MinMax(Channel(bands, Green), Channel(features, 15));
        MinMax(Channel(bands, Blue), Channel(features, 16));
        NormalisedDifference(Channel(bands, Nir), Channel(bands, Red), Channel(features, 17), scratch.Floats);
        NormalisedDifference(Channel(bands, Nir), Channel(bands, Swir2), Channel(features, 18), scratch.Floats);
        NormalisedDifference(Channel(bands, Nir), Channel(bands, Swir1), Channel(features, 19), scratch.Floats);

        // Gray and g8 in float64 as the reference does (numpy upcasts): in float32 a few pixels per patch floor to
        // the neighbouring uint8 level and then differ in the blur channels. Same operation order as (b2 + b3 + b4) / 3.
        var gray = scratch.Doubles;
        var other = scratch.MoreDoubles;
        TensorPrimitives.ConvertChecked<float, double>(Channel(bands, Blue), gray);
        TensorPrimitives.ConvertChecked<float, double>(Channel(bands, Green), other);
        TensorPrimitives.Add(gray, other, gray);
        TensorPrimitives.ConvertChecked<float, double>(Channel(bands, Red), other);
        TensorPrimitives.Add(gray, other, gray);
        TensorPrimitives.Divide(gray, 3.0, gray);
        TensorPrimitives.ConvertTruncating<double, float>(gray, Channel(features, 20));

        // g8 = floor(255 * minmax(gray)); truncation equals floor for these non-negative values.
        var min = TensorPrimitives.Min<double>(gray);
        var range = TensorPrimitives.Max<double>(gray) - min;
        if (range > 0 && double.IsFinite(range))
        {
            TensorPrimitives.Subtract(gray, min, gray);
            TensorPrimitives.Divide(gray, range, gray);
            TensorPrimitives.Multiply(gray, 255.0, gray);
            TensorPrimitives.ConvertTruncating<double, byte>(gray, scratch.Gray8);
        }
        else
        {
            Array.Clear(scratch.Gray8);
        }

        ByteImageFilters.BoxBlur(scratch.Gray8, Size, Size, BlurKernel, scratch.Filtered, scratch.BoxSums);
        ToUnit(scratch.Filtered, Channel(features, 21));
        ByteImageFilters.MedianBlur(scratch.Gray8, Size, Size, MedianKernel, scratch.Filtered, scratch.MedianPadded);
        ToUnit(scratch.Filtered, Channel(features, 22));
    }

    /// <summary>
    /// Computes <paramref name="count"/> tiles one after the other: <paramref name="bands"/> is count x 14 x 128 x 128,
    /// <paramref name="features"/> count x 23 x 128 x 128 (NCHW).
    /// </summary>
    public static void ComputeBatch(ReadOnlySpan<float> bands, Span<float> features, int count)
    {
        CheckBatch(bands.Length, features.Length, count);
        for (var i = 0; i < count; i++)
        {
            Compute(
                bands.Slice(i * ModelContract.BandValuesPerTile, ModelContract.BandValuesPerTile),
                features.Slice(i * ModelContract.FeatureValuesPerTile, ModelContract.FeatureValuesPerTile));
        }
    }

    /// <summary>
    /// As <see cref="ComputeBatch(ReadOnlySpan{float}, Span{float}, int)"/>, spreading the tiles over up to
    /// <paramref name="maxDegreeOfParallelism"/> threads (-1: all cores). Tiles are independent, so the result is
    /// identical to the sequential one.
    /// </summary>
    public static void ComputeBatch(ReadOnlyMemory<float> bands, Memory<float> features, int count, int maxDegreeOfParallelism)
    {
        CheckBatch(bands.Length, features.Length, count);
        if (maxDegreeOfParallelism == 1 || count <= 1)
        {
            ComputeBatch(bands.Span, features.Span, count);
            return;
        }

        Parallel.For(
            0,
            count,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => Compute(
                bands.Span.Slice(i * ModelContract.BandValuesPerTile, ModelContract.BandValuesPerTile),
                features.Span.Slice(i * ModelContract.FeatureValuesPerTile, ModelContract.FeatureValuesPerTile)));
    }

    private static void CheckBatch(int bandsLength, int featuresLength, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(bandsLength, (long)count * ModelContract.BandValuesPerTile, "bands");
        ArgumentOutOfRangeException.ThrowIfLessThan(featuresLength, (long)count * ModelContract.FeatureValuesPerTile, "features");
    }

    private static ReadOnlySpan<float> Channel(ReadOnlySpan<float> chw, int channel) => chw.Slice(channel * Pixels, Pixels);

    private static Span<float> Channel(Span<float> chw, int channel) => chw.Slice(channel * Pixels, Pixels);

    /// <summary>(x - min) / (max - min) over the patch; a constant patch gives zeros rather than NaN.</summary>
    private static void MinMax(ReadOnlySpan<float> x, Span<float> destination)
    {
        var min = TensorPrimitives.Min(x);
        var max = TensorPrimitives.Max(x);
        var range = max - min;
        if (!(range > 0f) || !float.IsFinite(range))
        {
            destination.Clear();
            return;
        }

        TensorPrimitives.Subtract(x, min, destination);
        TensorPrimitives.Divide(destination, range, destination);
    }

    /// <summary>(a - b) / max(a + b, 1e-8): max, not abs, exactly as the reference code.</summary>
    private static void NormalisedDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, Span<float> denominator)
    {
        TensorPrimitives.Add(a, b, denominator);
        TensorPrimitives.Max(denominator, 1e-8f, denominator);
        TensorPrimitives.Subtract(a, b, destination);
        TensorPrimitives.Divide(destination, denominator, destination);
    }

    private static void ToUnit(ReadOnlySpan<byte> values, Span<float> destination)
    {
        var table = s_byteToUnit;
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = table[values[i]];
        }
    }

    /// <summary>Per-thread buffers, so a call allocates nothing once a thread has computed one tile.</summary>
    private sealed class Scratch
    {
        public float[] Floats { get; } = new float[Pixels];

        public double[] Doubles { get; } = new double[Pixels];

        public double[] MoreDoubles { get; } = new double[Pixels];

        public byte[] Gray8 { get; } = new byte[Pixels];

        public byte[] Filtered { get; } = new byte[Pixels];

        public int[] BoxSums { get; } = new int[ByteImageFilters.BoxScratchLength(Size, Size, BlurKernel)];

        public byte[] MedianPadded { get; } = new byte[ByteImageFilters.MedianScratchLength(Size, Size, MedianKernel)];
    }
}
