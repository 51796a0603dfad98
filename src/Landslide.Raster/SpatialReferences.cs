using Landslide.Core.Scenes;
using Landslide.Raster.Interop;

namespace Landslide.Raster;

/// <summary>Coordinate reference system helpers backed by GDAL's OSR (PROJ database).</summary>
public static class SpatialReferences
{
    /// <summary>The WKT of an EPSG code, e.g. 32645 (WGS 84 / UTM zone 45N).</summary>
    /// <exception cref="GdalException">PROJ does not know the code.</exception>
    public static string WktFromEpsg(int epsg)
    {
        using var srs = SpatialReferenceHandle.FromEpsg(epsg);
        return srs.ToWkt();
    }

    /// <summary>
    /// The scene's four corners (upper-left, upper-right, lower-right, lower-left) in WGS84 longitude/latitude, e.g. for
    /// a STAC item's geometry.
    /// </summary>
    /// <exception cref="GdalException">The scene has no CRS, or a corner does not transform.</exception>
    public static IReadOnlyList<(double Lon, double Lat)> FootprintWgs84(SceneInfo scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var gt = scene.GeoTransform;
        Span<double> x = stackalloc double[4];
        Span<double> y = stackalloc double[4];
        ReadOnlySpan<(int Column, int Row)> corners = [(0, 0), (scene.Width, 0), (scene.Width, scene.Height), (0, scene.Height)];
        for (var i = 0; i < 4; i++)
        {
            var corner = gt.Offset(corners[i].Column, corners[i].Row);
            x[i] = corner.OriginX;
            y[i] = corner.OriginY;
        }

        using var source = SpatialReferenceHandle.FromWkt(scene.CrsWkt).UseTraditionalGisOrder();
        using var target = SpatialReferenceHandle.FromEpsg(4326).UseTraditionalGisOrder();
        using var transformation = source.TransformationTo(target, "creating a transformation to WGS84");
        if (!transformation.Transform(x, y))
        {
            throw GdalRuntime.Failure("transforming the scene's corners to WGS84");
        }

        return [(x[0], y[0]), (x[1], y[1]), (x[2], y[2]), (x[3], y[3])];
    }
}
