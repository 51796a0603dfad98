namespace Landslide.Raster.Interop;

/// <summary>The OGRFieldType values this project creates.</summary>
internal enum OgrFieldType
{
    Integer = 0,
    Real = 2,
    RealList = 3,
    Integer64 = 12,
}
