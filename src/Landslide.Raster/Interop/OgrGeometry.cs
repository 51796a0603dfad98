using Microsoft.Win32.SafeHandles;

namespace Landslide.Raster.Interop;

/// <summary>
/// An OGR geometry: one we own (created or cloned, destroyed on dispose) or one borrowed from its feature (never
/// destroyed here; valid while the feature lives).
/// </summary>
internal sealed unsafe class OgrGeometry : SafeHandleZeroOrMinusOneIsInvalid
{
    public OgrGeometry()
        : base(ownsHandle: true)
    {
    }

    private OgrGeometry(nint borrowed)
        : base(ownsHandle: false) => SetHandle(borrowed);

    public double Area => Gdal.OGR_G_Area(this);

    public static OgrGeometry Point() => Gdal.OGR_G_CreateGeometry(Gdal.WkbPoint);

    public static OgrGeometry Borrow(nint geometry) => new(geometry);

    public double X(int point) => Gdal.OGR_G_GetX(this, point);

    public double Y(int point) => Gdal.OGR_G_GetY(this, point);

    public OgrGeometry Clone() => Gdal.OGR_G_Clone(this);

    /// <summary>Writes this geometry's centroid into <paramref name="point"/>; false when OGR cannot.</summary>
    public bool CentroidInto(OgrGeometry point) => Gdal.OGR_G_Centroid(this, point) == Gdal.OgrErrNone;

    /// <summary>Reprojects in place; false when OGR cannot.</summary>
    public bool Transform(CoordinateTransformationHandle transformation) => Gdal.OGR_G_Transform(this, transformation) == Gdal.OgrErrNone;

    /// <summary>(MinX, MinY, MaxX, MaxY).</summary>
    public (double MinX, double MinY, double MaxX, double MaxY) Envelope()
    {
        Gdal.Envelope envelope;
        Gdal.OGR_G_GetEnvelope(this, &envelope);
        return (envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY);
    }

    protected override bool ReleaseHandle()
    {
        Gdal.OGR_G_DestroyGeometry(handle);
        return true;
    }
}
