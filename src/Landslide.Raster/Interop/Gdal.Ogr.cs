using System.Runtime.InteropServices;

namespace Landslide.Raster.Interop;

/// <summary>
/// OGR (vector) and OSR (spatial reference) functions of GDAL's C API: the other half of <see cref="Gdal"/>, bound
/// to the same library through the same resolver. Only the wrappers in this folder call them.
/// </summary>
internal static unsafe partial class Gdal
{
    // OGRwkbGeometryType.
    public const int WkbPoint = 1;
    public const int WkbPolygon = 3;

    // OGRFieldType.
    public const int OftInteger = 0;
    public const int OftReal = 2;
    public const int OftRealList = 3;
    public const int OftInteger64 = 12;

    public const int OgrErrNone = 0;

    // OSRAxisMappingStrategy: x = easting / longitude, y = northing / latitude, whatever the CRS says.
    public const int OamsTraditionalGisOrder = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct Envelope
    {
        public double MinX;
        public double MaxX;
        public double MinY;
        public double MaxY;
    }

    // Layers, fields, features. Layer and field-definition handles belong to their dataset.
    [LibraryImport(Lib)]
    public static partial nint OGR_L_GetLayerDefn(nint layer);

    [LibraryImport(Lib)]
    public static partial int OGR_L_CreateField(nint layer, nint fieldDefinition, int approxOk);

    [LibraryImport(Lib)]
    public static partial int OGR_L_CreateFeature(nint layer, FeatureHandle feature);

    [LibraryImport(Lib)]
    public static partial int OGR_L_SetFeature(nint layer, FeatureHandle feature);

    [LibraryImport(Lib)]
    public static partial void OGR_L_ResetReading(nint layer);

    [LibraryImport(Lib)]
    public static partial FeatureHandle OGR_L_GetNextFeature(nint layer);

    [LibraryImport(Lib)]
    public static partial long OGR_L_GetFeatureCount(nint layer, int force);

    [LibraryImport(Lib)]
    public static partial nint OGR_L_GetName(nint layer);

    /// <summary>OGR SQL WHERE clause; null clears the filter.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OGR_L_SetAttributeFilter(nint layer, string? query);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint OGR_Fld_Create(string name, int type);

    [LibraryImport(Lib)]
    public static partial void OGR_Fld_Destroy(nint fieldDefinition);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OGR_FD_GetFieldIndex(nint featureDefinition, string name);

    [LibraryImport(Lib)]
    public static partial FeatureHandle OGR_F_Create(nint featureDefinition);

    [LibraryImport(Lib)]
    public static partial void OGR_F_Destroy(nint feature);

    [LibraryImport(Lib)]
    public static partial nint OGR_F_GetGeometryRef(FeatureHandle feature);

    [LibraryImport(Lib)]
    public static partial int OGR_F_SetGeometry(FeatureHandle feature, OgrGeometry geometry);

    [LibraryImport(Lib)]
    public static partial int OGR_F_GetFieldAsInteger(FeatureHandle feature, int field);

    [LibraryImport(Lib)]
    public static partial void OGR_F_SetFieldInteger(FeatureHandle feature, int field, int value);

    [LibraryImport(Lib)]
    public static partial void OGR_F_SetFieldInteger64(FeatureHandle feature, int field, long value);

    [LibraryImport(Lib)]
    public static partial void OGR_F_SetFieldDouble(FeatureHandle feature, int field, double value);

    [LibraryImport(Lib)]
    public static partial void OGR_F_SetFieldDoubleList(FeatureHandle feature, int field, int count, double* values);

    // Geometries.
    [LibraryImport(Lib)]
    public static partial OgrGeometry OGR_G_CreateGeometry(int type);

    [LibraryImport(Lib)]
    public static partial OgrGeometry OGR_G_Clone(OgrGeometry geometry);

    [LibraryImport(Lib)]
    public static partial void OGR_G_DestroyGeometry(nint geometry);

    [LibraryImport(Lib)]
    public static partial double OGR_G_Area(OgrGeometry geometry);

    [LibraryImport(Lib)]
    public static partial int OGR_G_Centroid(OgrGeometry geometry, OgrGeometry point);

    [LibraryImport(Lib)]
    public static partial double OGR_G_GetX(OgrGeometry geometry, int point);

    [LibraryImport(Lib)]
    public static partial double OGR_G_GetY(OgrGeometry geometry, int point);

    [LibraryImport(Lib)]
    public static partial int OGR_G_Transform(OgrGeometry geometry, CoordinateTransformationHandle transformation);

    [LibraryImport(Lib)]
    public static partial void OGR_G_GetEnvelope(OgrGeometry geometry, Envelope* envelope);

    // Spatial references.
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial SpatialReferenceHandle OSRNewSpatialReference(string? wkt);

    [LibraryImport(Lib)]
    public static partial void OSRDestroySpatialReference(nint srs);

    [LibraryImport(Lib)]
    public static partial int OSRImportFromEPSG(SpatialReferenceHandle srs, int epsg);

    [LibraryImport(Lib)]
    public static partial int OSRExportToWkt(SpatialReferenceHandle srs, nint* wkt);

    [LibraryImport(Lib)]
    public static partial void OSRSetAxisMappingStrategy(SpatialReferenceHandle srs, int strategy);

    [LibraryImport(Lib)]
    public static partial int OSRIsProjected(SpatialReferenceHandle srs);

    [LibraryImport(Lib)]
    public static partial int OSRAutoIdentifyEPSG(SpatialReferenceHandle srs);

    [LibraryImport(Lib)]
    public static partial int OSRIsSame(SpatialReferenceHandle a, SpatialReferenceHandle b);

    [LibraryImport(Lib)]
    public static partial nint OSRGetAuthorityName(SpatialReferenceHandle srs, nint targetKey);

    [LibraryImport(Lib)]
    public static partial nint OSRGetAuthorityCode(SpatialReferenceHandle srs, nint targetKey);

    [LibraryImport(Lib)]
    public static partial CoordinateTransformationHandle OCTNewCoordinateTransformation(SpatialReferenceHandle source, SpatialReferenceHandle target);

    [LibraryImport(Lib)]
    public static partial void OCTDestroyCoordinateTransformation(nint transformation);

    /// <returns>TRUE (non-zero) when every point transformed.</returns>
    [LibraryImport(Lib)]
    public static partial int OCTTransform(CoordinateTransformationHandle transformation, int count, double* x, double* y, double* z);
}
