namespace Landslide.Raster.Interop;

/// <summary>A distribution's GDAL runtime package and the SONAME of the library it installs.</summary>
/// <param name="DistributionId">ID in /etc/os-release (debian, ubuntu).</param>
/// <param name="VersionId">VERSION_ID in /etc/os-release (12, 24.04).</param>
/// <param name="Distribution">The name people use, for messages.</param>
/// <param name="Package">The apt package.</param>
/// <param name="Soname">The library file name the package provides.</param>
internal sealed record GdalPackage(string DistributionId, string VersionId, string Distribution, string Package, string Soname);
