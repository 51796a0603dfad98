using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Landslide.Core.Segmentation;

namespace Landslide.Core.Features;

/// <summary>
/// The 14 -> 23 channel features of docs/MODEL.md, computed per 128 x 128 tile. One implementation, used by
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
        NormalisedDifference(Channel(bands, Nir), Channel(bands, Red), Channel(features, 17));
        NormalisedDifference(Channel(bands, Nir), Channel(bands, Swir2), Channel(features, 18));
        NormalisedDifference(Channel(bands, Nir), Channel(bands, Swir1), Channel(features, 19));

        Gray(Channel(bands, Blue), Channel(bands, Green), Channel(bands, Red), Channel(features, 20), scratch.Doubles, scratch.Gray8);

        ByteImageFilters.BoxBlur(scratch.Gray8, Size, Size, BlurKernel, scratch.Filtered, scratch.BoxSums);
        ToUnit(scratch.Filtered, Channel(features, 21));
        ByteImageFilters.MedianBlur(scratch.Gray8, Size, Size, MedianKernel, scratch.Filtered, scratch.MedianScratch);
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

    /// <summary>
    /// (x - min) / (max - min) over the patch; a constant patch gives zeros rather than NaN. Two fused passes (min and
    /// max together, then subtract and divide) instead of four primitives: the passes, not the arithmetic, cost here.
    /// </summary>
    private static void MinMax(ReadOnlySpan<float> x, Span<float> destination)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        var i = 0;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        if (Vector256.IsHardwareAccelerated)
        {
            var vmin = Vector256.Create(float.PositiveInfinity);
            var vmax = Vector256.Create(float.NegativeInfinity);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref rx, (nuint)i);
                vmin = Vector256.Min(vmin, v);
                vmax = Vector256.Max(vmax, v);
            }

            for (var j = 0; j < Vector256<float>.Count; j++)
            {
                min = MathF.Min(min, vmin[j]);
                max = MathF.Max(max, vmax[j]);
            }
        }

        for (; i < x.Length; i++)
        {
            min = MathF.Min(min, x[i]);
            max = MathF.Max(max, x[i]);
        }

        var range = max - min;
        if (!(range > 0f) || !float.IsFinite(range))
        {
            destination.Clear();
            return;
        }

        i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vmin = Vector256.Create(min);
            var vrange = Vector256.Create(range);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                ((Vector256.LoadUnsafe(ref rx, (nuint)i) - vmin) / vrange).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = (x[i] - min) / range;
        }
    }

    /// <summary>(a - b) / max(a + b, 1e-8): max, not abs, exactly as the reference code. One fused pass instead of four primitives.</summary>
    private static void NormalisedDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        var floor = Vector256.Create(1e-8f);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            ref var rd = ref MemoryMarshal.GetReference(destination);
            for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var va = Vector256.LoadUnsafe(ref ra, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref rb, (nuint)i);
                ((va - vb) / Vector256.Max(va + vb, floor)).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < a.Length; i++)
        {
            destination[i] = (a[i] - b[i]) / MathF.Max(a[i] + b[i], 1e-8f);
        }
    }

    /// <summary>
    /// Gray = (b2 + b3 + b4) / 3 and g8 = floor(255 * minmax(gray)), in float64 as the reference (numpy upcasts): in
    /// float32 a few pixels per patch floor to the neighbouring uint8 level and then differ in the blur channels.
    /// Two fused passes; the per-primitive version made thirteen.
    /// </summary>
    private static void Gray(ReadOnlySpan<float> blue, ReadOnlySpan<float> green, ReadOnlySpan<float> red, Span<float> gray, Span<double> wide, Span<byte> gray8)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var three = Vector256.Create(3.0);
            var vmin = Vector256.Create(double.PositiveInfinity);
            var vmax = Vector256.Create(double.NegativeInfinity);
            ref var rb = ref MemoryMarshal.GetReference(blue);
            ref var rg = ref MemoryMarshal.GetReference(green);
            ref var rr = ref MemoryMarshal.GetReference(red);
            ref var rw = ref MemoryMarshal.GetReference(wide);
            ref var ro = ref MemoryMarshal.GetReference(gray);
            for (; i <= blue.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (b0, b1) = Vector256.Widen(Vector256.LoadUnsafe(ref rb, (nuint)i));
                var (g0, g1) = Vector256.Widen(Vector256.LoadUnsafe(ref rg, (nuint)i));
                var (r0, r1) = Vector256.Widen(Vector256.LoadUnsafe(ref rr, (nuint)i));
                var lo = (b0 + g0 + r0) / three;
                var hi = (b1 + g1 + r1) / three;
                lo.StoreUnsafe(ref rw, (nuint)i);
                hi.StoreUnsafe(ref rw, (nuint)(i + Vector256<double>.Count));
                Vector256.Narrow(lo, hi).StoreUnsafe(ref ro, (nuint)i);
                vmin = Vector256.Min(vmin, Vector256.Min(lo, hi));
                vmax = Vector256.Max(vmax, Vector256.Max(lo, hi));
            }

            for (var j = 0; j < Vector256<double>.Count; j++)
            {
                min = Math.Min(min, vmin[j]);
                max = Math.Max(max, vmax[j]);
            }
        }

        for (; i < blue.Length; i++)
        {
            var v = ((double)blue[i] + green[i] + red[i]) / 3;
            wide[i] = v;
            gray[i] = (float)v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var range = max - min;
        if (!(range > 0) || !double.IsFinite(range))
        {
            gray8.Clear();
            return;
        }

        // Truncation equals floor for these non-negative values.
        for (i = 0; i < wide.Length; i++)
        {
            gray8[i] = (byte)(255 * ((wide[i] - min) / range));
        }
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
        public double[] Doubles { get; } = new double[Pixels];

        public byte[] Gray8 { get; } = new byte[Pixels];

        public byte[] Filtered { get; } = new byte[Pixels];

        public int[] BoxSums { get; } = new int[ByteImageFilters.BoxScratchLength(Size, Size, BlurKernel)];

        public byte[] MedianScratch { get; } = new byte[ByteImageFilters.MedianScratchLength(Size, Size, MedianKernel)];
    }
}
