namespace Landslide.Raster.Polygons;

/// <summary>Pixel count, probability sum and maximum per polygon label (1-based); sized by the polygon count.</summary>
/// <param name="polygonCount">Labels run 1..polygonCount; 0 is background.</param>
/// <param name="scale">Multiplier from stored values to probability (1/255 for uint8, 1 for float32).</param>
internal sealed class PolygonStats(int polygonCount, double scale)
{
    private readonly long[] _pixels = new long[polygonCount + 1];
    private readonly long[] _samples = new long[polygonCount + 1];
    private readonly double[] _sums = new double[polygonCount + 1];
    private readonly float[] _max = new float[polygonCount + 1];

    /// <summary>Adds one row block; probability nodata and NaN count as pixels but not as samples.</summary>
    public void Add(ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, float? noData)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label <= 0 || label >= _pixels.Length)
            {
                continue;
            }

            _pixels[label]++;
            var p = probabilities[i];
            if (float.IsNaN(p) || p == noData)
            {
                continue;
            }

            _samples[label]++;
            _sums[label] += p;
            _max[label] = Math.Max(_max[label], p);
        }
    }

    public long Count(int label) => _pixels[label];

    public double Mean(int label) => _samples[label] == 0 ? 0 : Math.Round(_sums[label] / _samples[label] * scale, 6);

    public double Max(int label) => Math.Round(_max[label] * scale, 6);
}
