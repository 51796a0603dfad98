using System.Globalization;
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
        using var srs = FromEpsg(epsg);
        return ToWkt(srs);
    }

    /// <summary>
    /// The scene's four corners (upper-left, upper-right, lower-right, lower-left) in WGS84 longitude/latitude, e.g. for
    /// a STAC item's geometry.
    /// </summary>
    /// <exception cref="GdalException">The scene has no CRS, or a corner does not transform.</exception>
    public static unsafe IReadOnlyList<(double Lon, double Lat)> FootprintWgs84(SceneInfo scene)
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

        using var source = FromWkt(scene.CrsWkt);
        using var target = FromEpsg(4326);
        Ogr.OSRSetAxisMappingStrategy(source, Ogr.OamsTraditionalGisOrder);
        Ogr.OSRSetAxisMappingStrategy(target, Ogr.OamsTraditionalGisOrder);
        using var transformation = Ogr.OCTNewCoordinateTransformation(source, target);
        if (transformation.IsInvalid)
        {
            throw GdalRuntime.Failure("creating a transformation to WGS84");
        }

        fixed (double* px = x, py = y)
        {
            if (Ogr.OCTTransform(transformation, 4, px, py, null) == 0)
            {
                throw GdalRuntime.Failure("transforming the scene's corners to WGS84");
            }
        }

        return [(x[0], y[0]), (x[1], y[1]), (x[2], y[2]), (x[3], y[3])];
    }

    internal static SpatialReferenceHandle FromEpsg(int epsg)
    {
        GdalRuntime.EnsureInitialized();
        var srs = Ogr.OSRNewSpatialReference(null);
        if (Ogr.OSRImportFromEPSG(srs, epsg) != Ogr.OgrErrNone)
        {
            srs.Dispose();
            throw GdalRuntime.Failure($"looking up EPSG:{epsg}");
        }

        return srs;
    }

    internal static SpatialReferenceHandle FromWkt(string wkt)
    {
        GdalRuntime.EnsureInitialized();
        var srs = Ogr.OSRNewSpatialReference(wkt);
        if (srs.IsInvalid)
        {
            srs.Dispose();
            throw GdalRuntime.Failure("parsing the CRS WKT");
        }

        return srs;
    }

    internal static unsafe string ToWkt(SpatialReferenceHandle srs)
    {
        nint wkt = 0;
        try
        {
            if (Ogr.OSRExportToWkt(srs, &wkt) != Ogr.OgrErrNone)
            {
                throw GdalRuntime.Failure("exporting a CRS to WKT");
            }

            return Gdal.PtrToString(wkt) ?? string.Empty;
        }
        finally
        {
            Gdal.VSIFree((void*)wkt);
        }
    }

    /// <summary>The EPSG code of a CRS: its own authority, else what OSRAutoIdentifyEPSG recognises; null when neither.</summary>
    internal static int? IdentifyEpsg(SpatialReferenceHandle srs)
    {
        if (EpsgAuthority(srs) is { } code)
        {
            return code;
        }

        return Ogr.OSRAutoIdentifyEPSG(srs) == Ogr.OgrErrNone ? EpsgAuthority(srs) : null;
    }

    private static int? EpsgAuthority(SpatialReferenceHandle srs)
    {
        var authority = Gdal.PtrToString(Ogr.OSRGetAuthorityName(srs, 0));
        var code = Gdal.PtrToString(Ogr.OSRGetAuthorityCode(srs, 0));
        return string.Equals(authority, "EPSG", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epsg)
            ? epsg
            : null;
    }
}
