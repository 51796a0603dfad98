using Microsoft.Win32.SafeHandles;

namespace Landslide.Raster.Interop;

/// <summary>A GDAL dataset (raster or vector); GDALClose flushes and frees it. Used through <see cref="GdalDataset"/>.</summary>
internal sealed class DatasetHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DatasetHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Gdal.GDALClose(handle);
        return true;
    }
}

/// <summary>An OGRSpatialReference owned by us, with the few OSR calls this project makes on one.</summary>
internal sealed unsafe class SpatialReferenceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SpatialReferenceHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Passed where GDAL accepts a null spatial reference.</summary>
    public static SpatialReferenceHandle Null { get; } = new();

    public bool IsProjected => Gdal.OSRIsProjected(this) != 0;

    /// <summary>The EPSG code of the CRS: its own authority, else what OSRAutoIdentifyEPSG recognises; null when neither.</summary>
    public int? Epsg => EpsgAuthority() ?? (Gdal.OSRAutoIdentifyEPSG(this) == Gdal.OgrErrNone ? EpsgAuthority() : null);

    public static SpatialReferenceHandle FromEpsg(int epsg)
    {
        GdalRuntime.EnsureInitialized();
        var srs = Gdal.OSRNewSpatialReference(null);
        if (Gdal.OSRImportFromEPSG(srs, epsg) != Gdal.OgrErrNone)
        {
            srs.Dispose();
            throw GdalRuntime.Failure($"looking up EPSG:{epsg}");
        }

        return srs;
    }

    public static SpatialReferenceHandle FromWkt(string wkt)
    {
        GdalRuntime.EnsureInitialized();
        var srs = Gdal.OSRNewSpatialReference(wkt);
        if (srs.IsInvalid)
        {
            srs.Dispose();
            throw GdalRuntime.Failure("parsing the CRS WKT");
        }

        return srs;
    }

    /// <summary>x = easting / longitude, y = northing / latitude, whatever axis order the CRS declares.</summary>
    public SpatialReferenceHandle UseTraditionalGisOrder()
    {
        Gdal.OSRSetAxisMappingStrategy(this, Gdal.OamsTraditionalGisOrder);
        return this;
    }

    public bool IsSame(SpatialReferenceHandle other) => Gdal.OSRIsSame(this, other) != 0;

    public string ToWkt()
    {
        nint wkt = 0;
        try
        {
            if (Gdal.OSRExportToWkt(this, &wkt) != Gdal.OgrErrNone)
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

    public CoordinateTransformationHandle TransformationTo(SpatialReferenceHandle target, string operation)
    {
        var transformation = Gdal.OCTNewCoordinateTransformation(this, target);
        if (transformation.IsInvalid)
        {
            transformation.Dispose();
            throw GdalRuntime.Failure(operation);
        }

        return transformation;
    }

    private int? EpsgAuthority()
    {
        var authority = Gdal.PtrToString(Gdal.OSRGetAuthorityName(this, 0));
        var code = Gdal.PtrToString(Gdal.OSRGetAuthorityCode(this, 0));
        return string.Equals(authority, "EPSG", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(code, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var epsg)
            ? epsg
            : null;
    }

    protected override bool ReleaseHandle()
    {
        Gdal.OSRDestroySpatialReference(handle);
        return true;
    }
}

/// <summary>An OGRCoordinateTransformation owned by us.</summary>
internal sealed unsafe class CoordinateTransformationHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CoordinateTransformationHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Transforms the points in place; false unless every point transformed.</summary>
    public bool Transform(Span<double> x, Span<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("x and y must have the same length", nameof(y));
        }

        fixed (double* px = x, py = y)
        {
            return Gdal.OCTTransform(this, x.Length, px, py, null) != 0;
        }
    }

    protected override bool ReleaseHandle()
    {
        Gdal.OCTDestroyCoordinateTransformation(handle);
        return true;
    }
}

/// <summary>An OGRFeature owned by us (created, or handed over by OGR_L_GetNextFeature). Used through <see cref="OgrFeature"/>.</summary>
internal sealed class FeatureHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FeatureHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Gdal.OGR_F_Destroy(handle);
        return true;
    }
}
