namespace Landslide.TestSupport;

/// <summary>
/// Finds the real Landslide4Sense patches: $LANDSLIDE_DATA, else ../shared/data/l4s beside the checkout.
/// Tests that need them skip with a message naming the folder when it is missing (CI fails instead: .ci/run checks).
/// </summary>
public static class SharedData
{
    public static readonly IReadOnlyList<int> TrainIds = [1, 3, 16, 27, 28, 38, 41, 45, 72, 253, 300, 461, 512, 600, 800];

    public static readonly IReadOnlyList<int> HoldoutIds = [2, 40, 150, 525, 700, 902];

    public static IReadOnlyList<int> AllIds { get; } = [.. TrainIds.Concat(HoldoutIds).Order()];

    /// <summary>The data folder, or null when it is not on this machine.</summary>
    public static string? Folder { get; } = Locate();

    public static string MissingMessage =>
        "real Landslide4Sense patches not found: set LANDSLIDE_DATA or put them at ../shared/data/l4s beside the checkout";

    public static string ImagePath(int id) => Path.Combine(Require(), "img", $"image_{id}.h5");

    public static string MaskPath(int id) => Path.Combine(Require(), "mask", $"mask_{id}.h5");

    public static string FeaturePath(int id) => Path.Combine(Require(), "features", $"image_{id}.h5");

    private static string Require() => Folder ?? throw new InvalidOperationException(MissingMessage);

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("LANDSLIDE_DATA");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        // Walk up from the test binary to the checkout, then look beside it.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "l4s");
            if (Directory.Exists(Path.Combine(candidate, "img")))
            {
                return candidate;
            }
        }

        return null;
    }
}
