namespace Landslide.Core.Scenes;

/// <summary>
/// How a scene's band values reach Landslide4Sense scale (MODEL.md, "Input scale"): <c>l4s</c> is used as it is,
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

    public static BandProfile Parse(string name) => name switch
    {
        "l4s" => L4s,
        "s2-l2a-dn" => S2L2aDn,
        _ => throw new SceneRejectedException(
            SceneError.UnknownBandProfile,
            $"unknown band profile '{name}'; expected one of: {string.Join(", ", Names)}"),
    };
}
