namespace Landslide.Core.Tests.Features;

/// <summary>Direct, obviously-correct versions of the OpenCV filters the features use, for cross-checks.</summary>
internal static class BruteForce
{
    /// <summary>cv2.blur: window [x - k/2, x - k/2 + k), BORDER_REFLECT_101, mean rounded half up.</summary>
    public static byte[] Box(byte[] src, int width, int height, int k)
    {
        var dst = new byte[src.Length];
        var a = k / 2;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0;
                for (var dy = 0; dy < k; dy++)
                {
                    for (var dx = 0; dx < k; dx++)
                    {
                        sum += src[(Reflect(y - a + dy, height) * width) + Reflect(x - a + dx, width)];
                    }
                }

                dst[(y * width) + x] = (byte)Math.Floor((sum / (double)(k * k)) + 0.5);
            }
        }

        return dst;
    }

    /// <summary>cv2.medianBlur: odd k, replicated border, the middle of the sorted window.</summary>
    public static byte[] Median(byte[] src, int width, int height, int k)
    {
        var dst = new byte[src.Length];
        var r = k / 2;
        var window = new byte[k * k];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var n = 0;
                for (var dy = -r; dy <= r; dy++)
                {
                    for (var dx = -r; dx <= r; dx++)
                    {
                        window[n++] = src[(Math.Clamp(y + dy, 0, height - 1) * width) + Math.Clamp(x + dx, 0, width - 1)];
                    }
                }

                Array.Sort(window);
                dst[(y * width) + x] = window[k * k / 2];
            }
        }

        return dst;
    }

    // One reflection is enough while the kernel is smaller than the image.
    private static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? (2 * n) - 2 - i : i;
}
