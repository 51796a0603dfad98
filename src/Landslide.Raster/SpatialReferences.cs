using System.Globalization;
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
