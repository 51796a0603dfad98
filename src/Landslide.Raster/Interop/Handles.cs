using Microsoft.Win32.SafeHandles;

namespace Landslide.Raster.Interop;

/// <summary>A GDAL dataset (raster or vector); GDALClose flushes and frees it.</summary>
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

/// <summary>An OGRSpatialReference owned by us.</summary>
internal sealed class SpatialReferenceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SpatialReferenceHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Passed where GDAL accepts a null spatial reference.</summary>
    public static SpatialReferenceHandle Null { get; } = new();

    protected override bool ReleaseHandle()
    {
        Ogr.OSRDestroySpatialReference(handle);
        return true;
    }
}

internal sealed class CoordinateTransformationHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CoordinateTransformationHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Ogr.OCTDestroyCoordinateTransformation(handle);
        return true;
    }
}

internal sealed class FeatureHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FeatureHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Ogr.OGR_F_Destroy(handle);
        return true;
    }
}

/// <summary>A geometry we own (created or cloned); geometries borrowed from a feature stay raw pointers.</summary>
internal sealed class GeometryHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public GeometryHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Ogr.OGR_G_DestroyGeometry(handle);
        return true;
    }
}
