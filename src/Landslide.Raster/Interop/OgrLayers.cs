using System.Runtime.InteropServices;

namespace Landslide.Raster.Interop;

/// <summary>Reading vector layers and burning them into a raster: the bindings behind <c>Labels.PolygonLabelRasterizer</c>.</summary>
internal static unsafe partial class OgrLayers
{
    private const string Lib = "libgdal.so.32";

    [LibraryImport(Lib)]
    public static partial int GDALDatasetGetLayerCount(DatasetHandle dataset);

    /// <summary>Layer handles belong to their dataset: never closed on their own.</summary>
    [LibraryImport(Lib)]
    public static partial nint GDALDatasetGetLayer(DatasetHandle dataset, int index);

    [LibraryImport(Lib)]
    public static partial nint OGR_L_GetName(nint layer);

    /// <summary>The layer's spatial reference, owned by the layer (may be 0).</summary>
    [LibraryImport(Lib)]
    public static partial nint OGR_L_GetSpatialRef(nint layer);

    /// <summary>OGR SQL WHERE clause; null clears the filter.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OGR_L_SetAttributeFilter(nint layer, string? query);

    [LibraryImport(Lib)]
    public static partial int GDALFillRaster(nint band, double real, double imaginary);

    [LibraryImport(Lib)]
    public static partial int OSRIsSame(SpatialReferenceHandle a, SpatialReferenceHandle b);
}
