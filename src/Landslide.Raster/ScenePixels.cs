using Landslide.Core.Scenes;
using Landslide.Raster.Interop;

namespace Landslide.Raster;

/// <summary>WGS84 longitude/latitude to a scene's pixel grid (column, row), through GDAL's OSR: exact, not an affine fit.</summary>
public static class ScenePixels
{
    /// <summary>Replaces each (lon, lat) in place by its fractional (column, row) on the scene's grid.</summary>
    /// <exception cref="GdalException">The scene has no CRS, or a point does not transform.</exception>
    public static void FromWgs84(SceneInfo scene, Span<double> lon, Span<double> lat)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (lon.Length != lat.Length)
        {
            throw new ArgumentException("lon and lat must have the same length", nameof(lat));
        }

        if (lon.Length == 0)
        {
            return;
        }

        using var source = SpatialReferenceHandle.FromEpsg(4326).UseTraditionalGisOrder();
        using var target = SpatialReferenceHandle.FromWkt(scene.CrsWkt).UseTraditionalGisOrder();
        using var transformation = source.TransformationTo(target, "creating a transformation from WGS84 to the scene's CRS");
        if (!transformation.Transform(lon, lat))
        {
            throw GdalRuntime.Failure("transforming polygon vertices to the scene's CRS");
        }

        // Invert the geotransform: x = ox + c*a + r*b, y = oy + c*d + r*e.
        var gt = scene.GeoTransform;
        var det = (gt.PixelWidth * gt.PixelHeight) - (gt.RowRotation * gt.ColumnRotation);
        for (var i = 0; i < lon.Length; i++)
        {
            var dx = lon[i] - gt.OriginX;
            var dy = lat[i] - gt.OriginY;
            lon[i] = ((dx * gt.PixelHeight) - (dy * gt.RowRotation)) / det;
            lat[i] = ((dy * gt.PixelWidth) - (dx * gt.ColumnRotation)) / det;
        }
    }
}
