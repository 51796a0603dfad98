using System.Runtime.InteropServices;

namespace Landslide.Raster.Interop;

/// <summary>Overview building and thread-local configuration (used by <see cref="Writers.CogWriter"/>).</summary>
internal static unsafe partial class Gdal
{
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GDALBuildOverviews(
        DatasetHandle dataset, string resampling, int overviewCount, int* overviewList, int bandCount, int* bandList, nint progress, nint progressData);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void CPLSetThreadLocalConfigOption(string key, string? value);
}
