using System.Runtime.InteropServices;

namespace Landslide.Raster.Interop;

/// <summary>
/// The slice of GDAL's C API (3.4 and later; the library is found by <see cref="GdalLibrary"/>) this project uses. Strings are UTF-8, as GDAL expects
/// for file names. Call <see cref="GdalRuntime.EnsureInitialized"/> before any of these.
/// </summary>
internal static unsafe partial class Gdal
{
    private const string Lib = GdalLibrary.Name;

    // Before the first P/Invoke binds: "gdal" means nothing to the loader without the resolver.
    static Gdal() => GdalLibrary.Register();

    // GDALOpenEx flags.
    public const uint OfReadOnly = 0x00;
    public const uint OfUpdate = 0x01;
    public const uint OfRaster = 0x02;
    public const uint OfVector = 0x04;
    public const uint OfVerboseError = 0x40;

    // GDALDataType.
    public const int GdtUnknown = 0;
    public const int GdtByte = 1;
    public const int GdtInt32 = 5;
    public const int GdtFloat32 = 6;

    // GDALRWFlag.
    public const int Read = 0;
    public const int Write = 1;

    // CPLErr.
    public const int CeNone = 0;
    public const int CeFailure = 3;

    [LibraryImport(Lib)]
    public static partial void GDALAllRegister();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DatasetHandle GDALOpenEx(string fileName, uint openFlags, nint allowedDrivers, nint openOptions, nint siblingFiles);

    [LibraryImport(Lib)]
    public static partial void GDALClose(nint dataset);

    [LibraryImport(Lib)]
    public static partial void GDALFlushCache(DatasetHandle dataset);

    [LibraryImport(Lib)]
    public static partial int GDALGetRasterXSize(DatasetHandle dataset);

    [LibraryImport(Lib)]
    public static partial int GDALGetRasterYSize(DatasetHandle dataset);

    [LibraryImport(Lib)]
    public static partial int GDALGetRasterCount(DatasetHandle dataset);

    /// <summary>Band handles belong to their dataset: never closed on their own.</summary>
    [LibraryImport(Lib)]
    public static partial nint GDALGetRasterBand(DatasetHandle dataset, int band);

    [LibraryImport(Lib)]
    public static partial int GDALGetRasterDataType(nint band);

    [LibraryImport(Lib)]
    public static partial double GDALGetRasterNoDataValue(nint band, int* success);

    [LibraryImport(Lib)]
    public static partial int GDALSetRasterNoDataValue(nint band, double value);

    [LibraryImport(Lib)]
    public static partial int GDALGetGeoTransform(DatasetHandle dataset, double* transform);

    [LibraryImport(Lib)]
    public static partial int GDALSetGeoTransform(DatasetHandle dataset, double* transform);

    [LibraryImport(Lib)]
    public static partial nint GDALGetProjectionRef(DatasetHandle dataset);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GDALSetProjection(DatasetHandle dataset, string wkt);

    /// <summary>
    /// GDALDatasetRasterIOEx: the spacings are GSpacing (GIntBig, 64-bit), unlike GDALDatasetRasterIO's int; a band
    /// plane of a large window passes 2 GB. <paramref name="extraArg"/> is a GDALRasterIOExtraArg* (0 = defaults).
    /// </summary>
    [LibraryImport(Lib)]
    public static partial int GDALDatasetRasterIOEx(
        DatasetHandle dataset, int rwFlag, int xOff, int yOff, int xSize, int ySize, void* data, int bufXSize, int bufYSize,
        int bufType, int bandCount, int* bandMap, long pixelSpace, long lineSpace, long bandSpace, nint extraArg);

    /// <summary>GDALRasterIO on one band: the C API takes int spacings, declared as such.</summary>
    [LibraryImport(Lib)]
    public static partial int GDALRasterIO(
        nint band, int rwFlag, int xOff, int yOff, int xSize, int ySize, void* data, int bufXSize, int bufYSize,
        int bufType, int pixelSpace, int lineSpace);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GDALGetDriverByName(string name);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DatasetHandle GDALCreate(nint driver, string fileName, int xSize, int ySize, int bands, int type, nint options);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DatasetHandle GDALCreateCopy(
        nint driver, string fileName, DatasetHandle source, int strict, nint options, nint progress, nint progressData);

    [LibraryImport(Lib)]
    public static partial int GDALFillRaster(nint band, double real, double imaginary);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GDALBuildOverviews(
        DatasetHandle dataset, string resampling, int overviewCount, int* overviewList, int bandCount, int* bandList, nint progress, nint progressData);

    [LibraryImport(Lib)]
    public static partial int GDALDatasetGetLayerCount(DatasetHandle dataset);

    /// <summary>Layer handles belong to their dataset: never closed on their own.</summary>
    [LibraryImport(Lib)]
    public static partial nint GDALDatasetGetLayer(DatasetHandle dataset, int index);

    [LibraryImport(Lib)]
    public static partial int GDALPolygonize(
        nint sourceBand, nint maskBand, nint layer, int pixelValueField, nint options, nint progress, nint progressData);

    [LibraryImport(Lib)]
    public static partial int GDALRasterizeLayers(
        DatasetHandle dataset, int bandCount, int* bandList, int layerCount, nint* layers, nint transformer, nint transformArg,
        double* burnValues, nint options, nint progress, nint progressData);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GDALDatasetCreateLayer(DatasetHandle dataset, string name, SpatialReferenceHandle srs, int geometryType, nint options);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GDALVersionInfo(string request);

    [LibraryImport(Lib)]
    public static partial long GDALGetCacheMax64();

    [LibraryImport(Lib)]
    public static partial void GDALSetCacheMax64(long bytes);

    // CPL: errors, string lists, memory, virtual files.
    [LibraryImport(Lib)]
    public static partial nint CPLGetLastErrorMsg();

    [LibraryImport(Lib)]
    public static partial int CPLGetLastErrorNo();

    [LibraryImport(Lib)]
    public static partial int CPLGetLastErrorType();

    [LibraryImport(Lib)]
    public static partial void CPLErrorReset();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void CPLSetThreadLocalConfigOption(string key, string? value);

    [LibraryImport(Lib)]
    public static partial nint CPLSetErrorHandler(delegate* unmanaged<int, int, byte*, void> handler);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint CSLAddString(nint list, string value);

    [LibraryImport(Lib)]
    public static partial void CSLDestroy(nint list);

    [LibraryImport(Lib)]
    public static partial void* VSIMalloc(nuint size);

    [LibraryImport(Lib)]
    public static partial void VSIFree(void* pointer);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint VSIFileFromMemBuffer(string fileName, byte* buffer, ulong length, int takeOwnership);

    [LibraryImport(Lib)]
    public static partial int VSIFCloseL(nint file);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int VSIUnlink(string fileName);

    /// <summary>A C string owned by GDAL, read without taking ownership.</summary>
    public static string? PtrToString(nint value) => value == 0 ? null : Marshal.PtrToStringUTF8(value);
}
