using Landslide.Core.Segmentation;

namespace Landslide.Training.CrossValidation;

/// <summary>
/// 8-connected components of the pixels at or above a threshold in one 128 x 128 probability tile, with what the
/// filters and the scores need. 8-connectivity matches LandslidePolygonizer (GDALPolygonize 8CONNECTED=8).
/// </summary>
internal static class DetectionComponents
{
    /// <summary>One connected detection: its pixel count, summed probability and labelled pixels under it.</summary>
    internal readonly record struct Component(int Pixels, double ProbabilitySum, int LandslidePixels, int BackgroundPixels)
    {
        public double MeanProbability => ProbabilitySum / Pixels;
    }

    public static List<Component> Find(ReadOnlySpan<float> probability, ReadOnlySpan<byte> mask, double threshold, int size = ModelContract.TileSize)
    {
        if (probability.Length != size * size || mask.Length != size * size)
        {
            throw new ArgumentException($"expected {size * size} probabilities and mask values, found {probability.Length} and {mask.Length}", nameof(probability));
        }

        var components = new List<Component>();
        var seen = new bool[probability.Length];
        var stack = new Stack<int>();
        for (var start = 0; start < probability.Length; start++)
        {
            if (seen[start] || probability[start] < threshold)
            {
                continue;
            }

            int pixels = 0, landslide = 0, background = 0;
            double sum = 0;
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                pixels++;
                sum += probability[i];
                switch (mask[i])
                {
                    case 1: landslide++; break;
                    case 0: background++; break;
                    default: break;
                }

                var (row, col) = Math.DivRem(i, size);
                for (var dr = -1; dr <= 1; dr++)
                {
                    for (var dc = -1; dc <= 1; dc++)
                    {
                        var r = row + dr;
                        var c = col + dc;
                        if ((dr | dc) == 0 || r < 0 || r >= size || c < 0 || c >= size)
                        {
                            continue;
                        }

                        var j = (r * size) + c;
                        if (!seen[j] && probability[j] >= threshold)
                        {
                            seen[j] = true;
                            stack.Push(j);
                        }
                    }
                }
            }

            components.Add(new Component(pixels, sum, landslide, background));
        }

        return components;
    }
}
