namespace Landslide.Training.Evaluation;

/// <summary>Pixel counts pooled over an evaluation set (landslide = positive).</summary>
public readonly record struct ConfusionCounts(long TruePositive, long FalsePositive, long TrueNegative, long FalseNegative)
{
    public long Total => TruePositive + FalsePositive + TrueNegative + FalseNegative;

    public static ConfusionCounts operator +(ConfusionCounts a, ConfusionCounts b)
        => new(a.TruePositive + b.TruePositive, a.FalsePositive + b.FalsePositive, a.TrueNegative + b.TrueNegative, a.FalseNegative + b.FalseNegative);

    public static ConfusionCounts Add(ConfusionCounts left, ConfusionCounts right) => left + right;

    /// <summary>Counts one tile: probabilities against a 0/1 mask; mask value 255 is skipped.</summary>
    public static ConfusionCounts Count(ReadOnlySpan<float> probability, ReadOnlySpan<byte> mask, double threshold)
    {
        if (probability.Length != mask.Length)
        {
            throw new ArgumentException($"probability has {probability.Length} values, mask {mask.Length}", nameof(mask));
        }

        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < mask.Length; i++)
        {
            var label = mask[i];
            if (label > 1)
            {
                continue;
            }

            var predicted = probability[i] >= threshold;
            if (label == 1)
            {
                if (predicted)
                {
                    tp++;
                }
                else
                {
                    fn++;
                }
            }
            else if (predicted)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        return new ConfusionCounts(tp, fp, tn, fn);
    }
}
