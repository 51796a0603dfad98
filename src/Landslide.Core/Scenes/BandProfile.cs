namespace Landslide.Core.Scenes;

/// <summary>
/// How a scene's band values reach Landslide4Sense scale (docs/MODEL.md, "Input scale"): <c>l4s</c> is used as it is,
/// <c>s2-l2a-dn</c> divides each band by the dataset mean.
/// </summary>
public sealed class BandProfile
{
    /// <summary>Landslide4Sense band means in band order (B1..B12 without B8A, slope, DEM).</summary>
    public static readonly IReadOnlyList<float> L4sMeans =
    [
        1111.81f, 824.63f, 663.42f, 445.17f, 645.86f, 1547.74f, 1960.44f, 1941.32f, 674.08f, 9.048f,
        1113.98f, 519.90f, 20.29f, 772.83f,
    ];

    public static readonly BandProfile L4s = new("l4s", [.. Enumerable.Repeat(1f, 14)], noData: null);

    public static readonly BandProfile S2L2aDn = new("s2-l2a-dn", [.. L4sMeans.Select(m => 1f / m)], noData: 0);

    private readonly float[] _scale;

    private BandProfile(string name, float[] scale, double? noData)
    {
        Name = name;
        _scale = scale;
        NoData = noData;
    }

    public string Name { get; }

    /// <summary>Nodata value the profile implies when the file declares none.</summary>
    public double? NoData { get; }

    /// <summary>Multiplier per band that takes a raw value to model scale.</summary>
    public ReadOnlySpan<float> Scale => _scale;

    public static IReadOnlyList<string> Names { get; } = [L4s.Name, S2L2aDn.Name];

    /// <summary>
    /// 1-based bands whose typical values tell the profiles apart: B2, B3, B4 and B8 (visible and NIR reflectance). In
    /// Landslide4Sense scale they sit around 1; as Sentinel-2 L2A digital numbers in the hundreds to thousands.
    /// </summary>
    public static IReadOnlyList<int> RangeCheckBands { get; } = [2, 3, 4, 8];

    /// <summary>Median of <see cref="RangeCheckBands"/> above which a scene cannot be in l4s scale (l4s medians are near 1).</summary>
    public const double L4sMaxMedian = 50;

    /// <summary>Median of <see cref="RangeCheckBands"/> below which a scene cannot be digital numbers (DN medians are in the hundreds).</summary>
    public const double DnMinMedian = 10;

    /// <summary>
    /// Rejects a scene whose sampled reflectance median plainly does not fit this profile: digital numbers under
    /// <c>l4s</c> (every pixel would look like bare soil) or fractions under <c>s2-l2a-dn</c> (every pixel would be
    /// near zero). Borderline values pass: the check catches a wrong profile, not unusual scenes.
    /// </summary>
    /// <param name="median">Median of the valid sampled values of <see cref="RangeCheckBands"/>; null when no valid sample.</param>
    /// <param name="source">The scene's name for the message.</param>
    /// <exception cref="SceneRejectedException"><see cref="SceneError.ProfileMismatch"/>.</exception>
    public void CheckValueRange(double? median, string source)
    {
        if (median is not { } m)
        {
            return;
        }

        if (this == L4s && m > L4sMaxMedian)
        {
            throw new SceneRejectedException(
                SceneError.ProfileMismatch,
                FormattableString.Invariant($"'{source}' has a visible/NIR median of {m:G4}, far above the l4s scale (about 1): it looks like Sentinel-2 digital numbers; use profile s2-l2a-dn"));
        }

        if (this == S2L2aDn && m < DnMinMedian)
        {
            throw new SceneRejectedException(
                SceneError.ProfileMismatch,
                FormattableString.Invariant($"'{source}' has a visible/NIR median of {m:G4}, far below Sentinel-2 digital numbers (hundreds): it looks like scaled values; use profile l4s"));
        }
    }

    public static BandProfile Parse(string name) => name switch
    {
        "l4s" => L4s,
        "s2-l2a-dn" => S2L2aDn,
        _ => throw new SceneRejectedException(
            SceneError.UnknownBandProfile,
            $"unknown band profile '{name}'; expected one of: {string.Join(", ", Names)}"),
    };
}
