using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Landslide.Core.Features;

/// <summary>
/// The two uint8 filters of the gray features, with OpenCV's exact semantics so the outputs match the reference
/// (numpy + OpenCV) bit for bit: <c>cv2.blur</c> (box, anchor k/2, BORDER_REFLECT_101, fixed-point rounding) and
/// <c>cv2.medianBlur</c> (BORDER_REPLICATE). Images are row-major, width x height bytes.
/// </summary>
internal static class ByteImageFilters
{
    /// <summary>OpenCV's <c>borderInterpolate</c> for BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba).</summary>
    public static int Reflect101(int index, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        while ((uint)index >= (uint)length)
        {
            index = index < 0 ? -index : (2 * length) - 2 - index;
        }

        return index;
    }

    /// <summary>Scratch ints <see cref="BoxBlur"/> needs for an image of this size.</summary>
    public static int BoxScratchLength(int width, int height, int kernel) => (width * height) + width + width + kernel;

    /// <summary>
    /// <c>cv2.blur(src, (kernel, kernel))</c> on uint8: the window of output x is [x - kernel/2, x - kernel/2 + kernel),
    /// borders reflect-101, the mean rounded the way OpenCV's 16-bit column sum does it. Running sums: O(1) per pixel.
    /// </summary>
    public static void BoxBlur(ReadOnlySpan<byte> src, int width, int height, int kernel, Span<byte> dst, Span<int> scratch)
    {
        var anchor = kernel / 2;
        var rowSums = scratch[..(width * height)];
        var columnSum = scratch.Slice(width * height, width);
        var paddedRow = scratch.Slice((width * height) + width, width + kernel - 1);

        // Horizontal pass: pad one row (reflect-101), then slide a running sum along it.
        for (var y = 0; y < height; y++)
        {
            var row = src.Slice(y * width, width);
            for (var i = 0; i < paddedRow.Length; i++)
            {
                paddedRow[i] = row[Reflect101(i - anchor, width)];
            }

            var sums = rowSums.Slice(y * width, width);
            var sum = 0;
            for (var i = 0; i < kernel; i++)
            {
                sum += paddedRow[i];
            }

            sums[0] = sum;
            for (var x = 1; x < width; x++)
            {
                sum += paddedRow[x + kernel - 1] - paddedRow[x - 1];
                sums[x] = sum;
            }
        }

        // Vertical pass: a running sum of row sums, whole rows at a time (vectorised).
        columnSum.Clear();
        for (var i = 0; i < kernel; i++)
        {
            TensorPrimitives.Add(columnSum, rowSums.Slice(Reflect101(i - anchor, height) * width, width), columnSum);
        }

        // OpenCV (ColumnSum<ushort, uchar>) divides by the kernel area in 23-bit fixed point; replicate its constants.
        var area = kernel * kernel;
        const int shift = 23;
        var scaled = (double)(1 << shift) / area;
        var divScale = (uint)Math.Floor(scaled);
        var divDelta = (uint)(area / 2);
        if (scaled - divScale < 0.5)
        {
            divDelta++;
        }
        else
        {
            divScale++;
        }

        for (var y = 0; y < height; y++)
        {
            if (y > 0)
            {
                TensorPrimitives.Add(columnSum, rowSums.Slice(Reflect101(y - anchor + kernel - 1, height) * width, width), columnSum);
                TensorPrimitives.Subtract(columnSum, rowSums.Slice(Reflect101(y - 1 - anchor, height) * width, width), columnSum);
            }

            var output = dst.Slice(y * width, width);
            for (var x = 0; x < width; x++)
            {
                output[x] = area == 1 ? (byte)columnSum[x] : (byte)(((uint)columnSum[x] + divDelta) * divScale >> shift);
            }
        }
    }

    /// <summary>Largest median kernel: its window count (225) must fit the byte histograms.</summary>
    public const int MaxMedianKernel = 15;

    /// <summary>Scratch bytes <see cref="MedianBlur"/> needs for an image of this size.</summary>
    public static int MedianScratchLength(int width, int height, int kernel)
    {
        var pw = width + kernel - 1;
        var ph = height + kernel - 1;

        // Padded image, its transpose (+16 so a 16-byte load past the last column stays inside), column histograms, window histogram.
        return (2 * pw * ph) + Vector128<byte>.Count + (pw * 256) + 256;
    }

    /// <summary>
    /// <c>cv2.medianBlur(src, kernel)</c> on uint8 (odd kernel up to 15, replicated border). Perreault and Hebert's
    /// constant-time median: one 256-bin histogram per column of the window height, slid down a row at a time; the
    /// window histogram moves right by adding one column histogram and subtracting another (vectorised over the
    /// bins), and the median is tracked incrementally from the count of window values below it.
    /// </summary>
    public static void MedianBlur(ReadOnlySpan<byte> src, int width, int height, int kernel, Span<byte> dst, Span<byte> scratch)
    {
        if (kernel < 1 || kernel % 2 == 0 || kernel > MaxMedianKernel)
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, $"median kernel must be odd and at most {MaxMedianKernel}");
        }

        var radius = kernel / 2;
        var pw = width + kernel - 1;
        var ph = height + kernel - 1;
        var padded = scratch[..(pw * ph)];
        var transposed = scratch.Slice(pw * ph, (pw * ph) + Vector128<byte>.Count);
        var columns = scratch.Slice((2 * pw * ph) + Vector128<byte>.Count, pw * 256);
        var window = scratch.Slice((2 * pw * ph) + Vector128<byte>.Count + (pw * 256), 256);
        for (var y = 0; y < ph; y++)
        {
            var row = src.Slice(Math.Clamp(y - radius, 0, height - 1) * width, width);
            var prow = padded.Slice(y * pw, pw);
            prow[..radius].Fill(row[0]);
            row.CopyTo(prow[radius..]);
            prow[(radius + width)..].Fill(row[width - 1]);
            for (var x = 0; x < pw; x++)
            {
                transposed[(x * ph) + y] = prow[x];
            }
        }

        transposed[(pw * ph)..].Clear();
        columns.Clear();
        for (var y = 0; y < kernel; y++)
        {
            for (var x = 0; x < pw; x++)
            {
                columns[(x * 256) + padded[(y * pw) + x]]++;
            }
        }

        var rank = kernel * kernel / 2;
        var lowBits = (1u << kernel) - 1;
        for (var y = 0; y < height; y++)
        {
            if (y > 0)
            {
                var gone = padded.Slice((y - 1) * pw, pw);
                var come = padded.Slice((y - 1 + kernel) * pw, pw);
                for (var x = 0; x < pw; x++)
                {
                    columns[(x * 256) + gone[x]]--;
                    columns[(x * 256) + come[x]]++;
                }
            }

            window.Clear();
            for (var x = 0; x < kernel; x++)
            {
                TensorPrimitives.Add(window, columns.Slice(x * 256, 256), window);
            }

            var median = 0;
            var below = 0;
            while (below + window[median] <= rank)
            {
                below += window[median++];
            }

            var output = dst.Slice(y * width, width);
            output[0] = (byte)median;
            ref var columnBase = ref MemoryMarshal.GetReference(columns);
            ref var transposedBase = ref MemoryMarshal.GetReference(transposed);
            for (var x = 1; x < width; x++)
            {
                var goneColumn = x - 1;
                var comeColumn = x - 1 + kernel;
                SlideWindow(window, ref Unsafe.Add(ref columnBase, comeColumn * 256), ref Unsafe.Add(ref columnBase, goneColumn * 256));

                // Values below the current median that enter and leave: one compare and a popcount per column.
                // The transposed image has 16 spare bytes at its end, so the 16-byte loads stay inside it.
                var threshold = Vector128.Create((byte)median);
                var entering = Vector128.LessThan(Vector128.LoadUnsafe(ref transposedBase, (nuint)((comeColumn * ph) + y)), threshold).ExtractMostSignificantBits() & lowBits;
                var leaving = Vector128.LessThan(Vector128.LoadUnsafe(ref transposedBase, (nuint)((goneColumn * ph) + y)), threshold).ExtractMostSignificantBits() & lowBits;
                below += BitOperations.PopCount(entering) - BitOperations.PopCount(leaving);

                if (below > rank)
                {
                    do
                    {
                        median--;
                        below -= window[median];
                    }
                    while (below > rank);
                }
                else
                {
                    while (below + window[median] <= rank)
                    {
                        below += window[median++];
                    }
                }

                output[x] = (byte)median;
            }
        }
    }

    // window += come - gone over 256 bins. Hand-written: a TensorPrimitives call per 256 bytes costs more in dispatch
    // than the arithmetic, and this runs once per output pixel.
    private static void SlideWindow(Span<byte> window, ref byte c, ref byte g)
    {
        ref var w = ref MemoryMarshal.GetReference(window);
        if (Vector512.IsHardwareAccelerated)
        {
            for (nuint i = 0; i < 256; i += (nuint)Vector512<byte>.Count)
            {
                (Vector512.LoadUnsafe(ref w, i) + Vector512.LoadUnsafe(ref c, i) - Vector512.LoadUnsafe(ref g, i)).StoreUnsafe(ref w, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (nuint i = 0; i < 256; i += (nuint)Vector256<byte>.Count)
            {
                (Vector256.LoadUnsafe(ref w, i) + Vector256.LoadUnsafe(ref c, i) - Vector256.LoadUnsafe(ref g, i)).StoreUnsafe(ref w, i);
            }
        }
        else
        {
            for (nuint i = 0; i < 256; i += (nuint)Vector128<byte>.Count)
            {
                (Vector128.LoadUnsafe(ref w, i) + Vector128.LoadUnsafe(ref c, i) - Vector128.LoadUnsafe(ref g, i)).StoreUnsafe(ref w, i);
            }
        }
    }
}
