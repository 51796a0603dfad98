namespace Landslide.Training;

/// <summary>The step schedule of docs/MODEL.md, by epoch (0-based).</summary>
public static class LearningRateSchedule
{
    private static readonly (int Below, double Rate)[] Steps =
    [
        (8, 1e-4), (15, 5e-5), (20, 2e-5), (25, 1e-5), (30, 5e-6), (35, 2e-6), (42, 1e-6), (50, 5e-7),
    ];

    public const double Final = 1e-7;

    public static double ForEpoch(int epoch)
    {
        foreach (var (below, rate) in Steps)
        {
            if (epoch < below)
            {
                return rate;
            }
        }

        return Final;
    }
}
