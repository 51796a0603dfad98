using System.Numerics.Tensors;

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

    /// <summary>Scratch bytes <see cref="MedianBlur"/> needs for an image of this size.</summary>
    public static int MedianScratchLength(int width, int height, int kernel) => (width + kernel - 1) * (height + kernel - 1);

    /// <summary>
    /// <c>cv2.medianBlur(src, kernel)</c> on uint8 (odd kernel, replicated border). Huang's sliding histogram in
    /// serpentine order with an incrementally tracked median: O(kernel) per pixel, no sort.
    /// </summary>
    public static void MedianBlur(ReadOnlySpan<byte> src, int width, int height, int kernel, Span<byte> dst, Span<byte> scratch)
    {
        var radius = kernel / 2;
        var pw = width + kernel - 1;
        var ph = height + kernel - 1;
        var padded = scratch[..(pw * ph)];
        for (var y = 0; y < ph; y++)
        {
            var row = src.Slice(Math.Clamp(y - radius, 0, height - 1) * width, width);
            var prow = padded.Slice(y * pw, pw);
            prow[..radius].Fill(row[0]);
            row.CopyTo(prow[radius..]);
            prow[(radius + width)..].Fill(row[width - 1]);
        }

        Span<int> hist = stackalloc int[256];
        hist.Clear();
        var rank = kernel * kernel / 2;
        for (var y = 0; y < kernel; y++)
        {
            foreach (var v in padded.Slice(y * pw, kernel))
            {
                hist[v]++;
            }
        }

        var median = 0;
        var below = 0;
        while (below + hist[median] <= rank)
        {
            below += hist[median++];
        }

        for (var y = 0; y < height; y++)
        {
            if (y > 0)
            {
                // Step down: drop the window's top row, take the row below it. The column range is where the last row ended.
                var x0 = (y & 1) == 1 ? width - 1 : 0;
                below += Slide(hist, padded.Slice(((y - 1) * pw) + x0, kernel), padded.Slice(((y - 1 + kernel) * pw) + x0, kernel), median);
                median = Settle(hist, median, ref below, rank);
            }

            if ((y & 1) == 0)
            {
                dst[y * width] = (byte)median;
                for (var x = 1; x < width; x++)
                {
                    below += SlideColumn(hist, padded, pw, y, kernel, x - 1, x - 1 + kernel, median);
                    median = Settle(hist, median, ref below, rank);
                    dst[(y * width) + x] = (byte)median;
                }
            }
            else
            {
                dst[(y * width) + width - 1] = (byte)median;
                for (var x = width - 2; x >= 0; x--)
                {
                    below += SlideColumn(hist, padded, pw, y, kernel, x + kernel, x, median);
                    median = Settle(hist, median, ref below, rank);
                    dst[(y * width) + x] = (byte)median;
                }
            }
        }
    }

    // Removes `gone`, adds `come`; returns the change in the count of values below the median (branch-free).
    private static int Slide(Span<int> hist, ReadOnlySpan<byte> gone, ReadOnlySpan<byte> come, int median)
    {
        var delta = 0;
        for (var i = 0; i < gone.Length; i++)
        {
            int g = gone[i];
            int c = come[i];
            hist[g]--;
            hist[c]++;
            delta += ((c - median) >> 31) - ((g - median) >> 31);
        }

        return -delta;
    }

    private static int SlideColumn(Span<int> hist, ReadOnlySpan<byte> padded, int pw, int y, int kernel, int goneColumn, int comeColumn, int median)
    {
        var delta = 0;
        var gone = (y * pw) + goneColumn;
        var come = (y * pw) + comeColumn;
        for (var i = 0; i < kernel; i++, gone += pw, come += pw)
        {
            int g = padded[gone];
            int c = padded[come];
            hist[g]--;
            hist[c]++;
            delta += ((c - median) >> 31) - ((g - median) >> 31);
        }

        // (v - median) >> 31 is -1 when v < median, so the sum above counts with the opposite sign.
        return -delta;
    }

    private static int Settle(Span<int> hist, int median, ref int below, int rank)
    {
        if (below > rank)
        {
            do
            {
                median--;
                below -= hist[median];
            }
            while (below > rank);
        }
        else
        {
            while (below + hist[median] <= rank)
            {
                below += hist[median++];
            }
        }

        return median;
    }
}
