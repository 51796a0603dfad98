namespace Landslide.Benchmarks.Features;

/// <summary>
/// The straightforward transcription of docs/MODEL.md "Features": scalar loops, the box filter as a 10 x 10 sum per pixel
/// and the median by sorting each 15 x 15 window. The baseline the fast extractor is measured against.
/// </summary>
internal static class NaiveFeatureExtractor
{
    private const int Size = 128;
    private const int Pixels = Size * Size;

    public static void Compute(float[] bands, float[] features)
    {
        Array.Copy(bands, features, 14 * Pixels);
        MinMax(bands, 3, features, 14);
        MinMax(bands, 2, features, 15);
        MinMax(bands, 1, features, 16);
        Index(bands, 7, 3, features, 17);
        Index(bands, 7, 11, features, 18);
        Index(bands, 7, 10, features, 19);

        var gray = new double[Pixels];
        for (var i = 0; i < Pixels; i++)
        {
            gray[i] = ((double)bands[Pixels + i] + bands[(2 * Pixels) + i] + bands[(3 * Pixels) + i]) / 3;
            features[(20 * Pixels) + i] = (float)gray[i];
        }

        var min = gray.Min();
        var max = gray.Max();
        var g8 = new byte[Pixels];
        for (var i = 0; i < Pixels; i++)
        {
            g8[i] = max > min ? (byte)Math.Floor(255 * ((gray[i] - min) / (max - min))) : (byte)0;
        }

        var window = new byte[15 * 15];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var sum = 0;
                for (var dy = -5; dy < 5; dy++)
                {
                    for (var dx = -5; dx < 5; dx++)
                    {
                        sum += g8[(Reflect(y + dy) * Size) + Reflect(x + dx)];
                    }
                }

                features[(21 * Pixels) + (y * Size) + x] = (float)(Math.Floor((sum / 100.0) + 0.5) / 255.0);

                var n = 0;
                for (var dy = -7; dy <= 7; dy++)
                {
                    for (var dx = -7; dx <= 7; dx++)
                    {
                        window[n++] = g8[(Math.Clamp(y + dy, 0, Size - 1) * Size) + Math.Clamp(x + dx, 0, Size - 1)];
                    }
                }

                Array.Sort(window);
                features[(22 * Pixels) + (y * Size) + x] = (float)(window[112] / 255.0);
            }
        }
    }

    private static int Reflect(int i) => i < 0 ? -i : i >= Size ? (2 * Size) - 2 - i : i;

    private static void MinMax(float[] bands, int band, float[] features, int channel)
    {
        var min = float.MaxValue;
        var max = float.MinValue;
        for (var i = 0; i < Pixels; i++)
        {
            min = Math.Min(min, bands[(band * Pixels) + i]);
            max = Math.Max(max, bands[(band * Pixels) + i]);
        }

        for (var i = 0; i < Pixels; i++)
        {
            features[(channel * Pixels) + i] = max > min ? (bands[(band * Pixels) + i] - min) / (max - min) : 0f;
        }
    }

    private static void Index(float[] bands, int a, int b, float[] features, int channel)
    {
        for (var i = 0; i < Pixels; i++)
        {
            var x = bands[(a * Pixels) + i];
            var y = bands[(b * Pixels) + i];
            features[(channel * Pixels) + i] = (x - y) / Math.Max(x + y, 1e-8f);
        }
    }
}
