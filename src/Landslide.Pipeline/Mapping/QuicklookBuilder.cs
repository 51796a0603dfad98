using Landslide.Core.Scenes;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// Builds quicklook.png while the scene streams past: each final row adds its true-colour values and mask into a
/// block-averaged image of at most <c>maxSize</c> pixels a side, so the quicklook costs no second read of the scene.
/// </summary>
internal sealed class QuicklookBuilder
{
    private const int Red = 3;   // B4
    private const int Green = 2; // B3
    private const int Blue = 1;  // B2

    private readonly int _factor;
    private readonly int _sceneWidth;
    private readonly double[] _rgb;
    private readonly int[] _valid;
    private readonly int[] _landslide;
    private (double Low, double High)[]? _stretch;

    public QuicklookBuilder(int sceneWidth, int sceneHeight, int maxSize)
    {
        _sceneWidth = sceneWidth;
        _factor = Math.Max(1, (int)Math.Ceiling(Math.Max(sceneWidth, sceneHeight) / (double)maxSize));
        Width = (sceneWidth + _factor - 1) / _factor;
        Height = (sceneHeight + _factor - 1) / _factor;
        _rgb = new double[Width * Height * 3];
        _valid = new int[Width * Height];
        _landslide = new int[Width * Height];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// Adds scene rows [startRow, startRow + mask rows) whose bands sit in <paramref name="strip"/>
    /// (band-sequential, <paramref name="stripRows"/> rows starting at <paramref name="stripY"/>).
    /// </summary>
    public void AddRows(ReadOnlySpan<float> strip, int stripY, int stripRows, int startRow, ReadOnlySpan<byte> mask, BandProfile profile)
    {
        var plane = stripRows * _sceneWidth;
        var rows = mask.Length / _sceneWidth;
        var (redScale, greenScale, blueScale) = (profile.Scale[Red], profile.Scale[Green], profile.Scale[Blue]);
        for (var r = 0; r < rows; r++)
        {
            var y = startRow + r;
            var stripRow = (y - stripY) * _sceneWidth;
            var red = strip.Slice((Red * plane) + stripRow, _sceneWidth);
            var green = strip.Slice((Green * plane) + stripRow, _sceneWidth);
            var blue = strip.Slice((Blue * plane) + stripRow, _sceneWidth);
            var maskRow = mask.Slice(r * _sceneWidth, _sceneWidth);
            var q = (y / _factor) * Width;

            // Walk the quicklook pixels of this row and the scene columns inside each: no division per pixel.
            for (var x0 = 0; x0 < _sceneWidth; x0 += _factor, q++)
            {
                var end = Math.Min(x0 + _factor, _sceneWidth);
                for (var x = x0; x < end; x++)
                {
                    var m = maskRow[x];
                    if (m == MaskValues.NoData)
                    {
                        continue;
                    }

                    _valid[q]++;
                    _landslide[q] += m;
                    _rgb[(q * 3) + 0] += red[x] * redScale;
                    _rgb[(q * 3) + 1] += green[x] * greenScale;
                    _rgb[(q * 3) + 2] += blue[x] * blueScale;
                }
            }
        }
    }

    /// <summary>
    /// The RGB image, pixel-interleaved: a 2-98 % stretch per channel of the scene, landslides in opaque red (unless
    /// <paramref name="markLandslides"/> is false: truecolour.png, the web map's base), nodata in black.
    /// </summary>
    public byte[] Render(bool markLandslides = true)
    {
        var image = new byte[Width * Height * 3];

        // The stretch depends on the scene only: computed once for quicklook.png and truecolour.png (three sorts of up
        // to a million values each were most of the finishing time of a quicklook).
        var stretch = _stretch ??= [Percentiles(0), Percentiles(1), Percentiles(2)];

        for (var q = 0; q < _valid.Length; q++)
        {
            if (_valid[q] == 0)
            {
                continue;
            }

            if (markLandslides && _landslide[q] * 2 >= _valid[q])
            {
                image[(q * 3) + 0] = 230;
                image[(q * 3) + 1] = 30;
                image[(q * 3) + 2] = 30;
                continue;
            }

            for (var c = 0; c < 3; c++)
            {
                var mean = _rgb[(q * 3) + c] / _valid[q];
                var (low, high) = stretch[c];
                var t = high > low ? (mean - low) / (high - low) : 0.5;
                image[(q * 3) + c] = (byte)Math.Clamp(Math.Round(t * 255), 0, 255);
            }
        }

        return image;
    }

    private (double Low, double High) Percentiles(int channel)
    {
        var values = new double[_valid.Length];
        var count = 0;
        for (var q = 0; q < _valid.Length; q++)
        {
            if (_valid[q] > 0)
            {
                values[count++] = _rgb[(q * 3) + channel] / _valid[q];
            }
        }

        if (count == 0)
        {
            return (0, 1);
        }

        var sorted = values.AsSpan(0, count);
        sorted.Sort();
        return (sorted[(int)(0.02 * (count - 1))], sorted[(int)(0.98 * (count - 1))]);
    }
}
