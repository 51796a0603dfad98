using Landslide.Core.Scenes;
using Landslide.Raster.Scenes;

namespace Landslide.Pipeline.Mapping;

/// <summary>
/// The checks a scene passes before it is mapped, the same in `map` and in the pipeline: header (bands, type, CRS,
/// size), not all nodata, and values that fit the band profile.
/// </summary>
public static class SceneChecks
{
    /// <exception cref="SceneRejectedException">The scene cannot be mapped as asked; the code says why.</exception>
    public static void Check(RasterScene scene, BandProfile profile, SceneLimits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(profile);
        var info = scene.Info;
        (limits is null ? new SceneValidator() : new SceneValidator(limits)).Validate(info);
        var noData = info.NoData ?? profile.NoData;
        scene.ThrowIfAllNodata(noData, cancellationToken);
        profile.CheckValueRange(scene.SampleMedian([.. BandProfile.RangeCheckBands], noData), scene.Source);
    }
}
