using System.ComponentModel.DataAnnotations;

namespace Landslide.Core.Scenes;

/// <summary>Size limits a scene must respect; larger ones are refused as <see cref="SceneError.AbsurdSize"/>.</summary>
public sealed class SceneLimits
{
    /// <summary>Widest scene accepted, in pixels. Default 100,000 (a Sentinel-2 tile is 10,980).</summary>
    [Range(1, int.MaxValue)]
    public int MaxWidth { get; init; } = 100_000;

    /// <summary>Tallest scene accepted, in pixels. Default 100,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxHeight { get; init; } = 100_000;

    /// <summary>Most pixels (width x height) accepted. Default 2,000,000,000 (about 16 Sentinel-2 tiles).</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxPixels { get; init; } = 2_000_000_000;
}
