using Landslide.Core.Segmentation;

namespace Landslide.Core.Scenes;

/// <summary>
/// Checks a scene's header against what the pipeline can map: size, 14 real-valued bands, a projected CRS.
/// Header only: the all-nodata check needs pixels and lives with the raster reader.
/// </summary>
public sealed class SceneValidator(SceneLimits limits)
{
    private static readonly BandDataType[] NumericTypes =
    [
        BandDataType.Byte, BandDataType.Int8, BandDataType.UInt16, BandDataType.Int16, BandDataType.UInt32,
        BandDataType.Int32, BandDataType.UInt64, BandDataType.Int64, BandDataType.Float32, BandDataType.Float64,
    ];

    public SceneValidator()
        : this(new SceneLimits())
    {
    }

    /// <summary>Throws <see cref="SceneRejectedException"/> with the first problem found, in the order a person would fix them.</summary>
    public void Validate(SceneInfo scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.Width <= 0 || scene.Height <= 0)
        {
            throw new SceneRejectedException(SceneError.EmptySize, $"the scene is {scene.Width} x {scene.Height} pixels; it has no pixels to map");
        }

        if (scene.Width > limits.MaxWidth || scene.Height > limits.MaxHeight || (long)scene.Width * scene.Height > limits.MaxPixels)
        {
            throw new SceneRejectedException(
                SceneError.AbsurdSize,
                $"the scene is {scene.Width} x {scene.Height} pixels; the limit is {limits.MaxWidth} x {limits.MaxHeight} and {limits.MaxPixels:N0} pixels in all: split it into smaller scenes");
        }

        if (scene.BandCount != ModelContract.InputBands)
        {
            throw new SceneRejectedException(
                SceneError.WrongBandCount,
                $"expected {ModelContract.InputBands} bands (B1-B12 without B8A, slope, DEM), found {scene.BandCount}");
        }

        for (var b = 0; b < scene.BandCount; b++)
        {
            if (Array.IndexOf(NumericTypes, scene.BandTypes[b]) < 0)
            {
                throw new SceneRejectedException(
                    SceneError.NonNumericType,
                    $"band {b + 1} has type {scene.BandTypes[b]}; expected a real numeric type such as Float32, UInt16 or Int16");
            }
        }

        if (!scene.HasCrs)
        {
            throw new SceneRejectedException(
                SceneError.MissingCrs,
                "the scene has no coordinate reference system; assign its projected CRS (e.g. gdal_edit.py -a_srs EPSG:32645)");
        }

        if (!scene.IsProjected)
        {
            var crs = scene.Epsg is { } epsg ? $"EPSG:{epsg}" : "its CRS";
            throw new SceneRejectedException(
                SceneError.GeographicCrs,
                $"the scene is in {crs}, a geographic CRS in degrees; reproject it to a metric projected CRS such as its UTM zone (e.g. gdalwarp -t_srs EPSG:32645)");
        }
    }
}
