namespace Landslide.Raster.Interop;

/// <summary>An OGR feature we own, destroyed on dispose; fields are set and read by <see cref="OgrField"/>, never by a bare index.</summary>
internal sealed unsafe class OgrFeature : IDisposable
{
    internal OgrFeature(FeatureHandle handle) => Handle = handle;

    /// <summary>The feature's own geometry, borrowed: valid while the feature lives.</summary>
    public OgrGeometry Geometry => OgrGeometry.Borrow(Gdal.OGR_F_GetGeometryRef(Handle));

    internal FeatureHandle Handle { get; }

    public int GetInt32(OgrField field) => Gdal.OGR_F_GetFieldAsInteger(Handle, field.Index);

    public void SetInt32(OgrField field, int value) => Gdal.OGR_F_SetFieldInteger(Handle, field.Index, value);

    public void SetInt64(OgrField field, long value) => Gdal.OGR_F_SetFieldInteger64(Handle, field.Index, value);

    public void SetDouble(OgrField field, double value) => Gdal.OGR_F_SetFieldDouble(Handle, field.Index, value);

    public void SetDoubles(OgrField field, ReadOnlySpan<double> values)
    {
        fixed (double* data = values)
        {
            Gdal.OGR_F_SetFieldDoubleList(Handle, field.Index, values.Length, data);
        }
    }

    /// <summary>Copies <paramref name="geometry"/> into the feature; false when OGR refuses.</summary>
    public bool SetGeometry(OgrGeometry geometry) => Gdal.OGR_F_SetGeometry(Handle, geometry) == Gdal.OgrErrNone;

    public void Dispose() => Handle.Dispose();
}
