namespace Landslide.Raster;

/// <summary>GDAL refused an operation; the message is GDAL's own, prefixed with what we were doing.</summary>
public sealed class GdalException : Exception
{
    public GdalException(int errorNumber, string message)
        : base(message) => ErrorNumber = errorNumber;

    public GdalException()
    {
    }

    public GdalException(string message)
        : base(message)
    {
    }

    public GdalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>GDAL's CPLErrorNum (e.g. 4 = file I/O error, 1 = application-defined).</summary>
    public int ErrorNumber { get; }
}
