using System.Runtime.InteropServices;

namespace Landslide.Raster.Interop;

/// <summary>Registers GDAL's drivers once per process and turns GDAL's error state into exceptions.</summary>
internal static unsafe class GdalRuntime
{
    private static readonly Lazy<bool> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    // The first failure GDAL reported on this thread since ResetErrors: the cause ("got 1293 bytes, expected 3744"),
    // where the last message is often only its consequence ("IReadBlock failed").
    [ThreadStatic]
    private static string? _firstFailure;

    public static void EnsureInitialized() => _ = Initialized.Value;

    /// <summary>The last error GDAL recorded on this thread (GDAL keeps it thread-local), or a fallback.</summary>
    public static string LastErrorMessage(string fallback)
    {
        var message = Gdal.PtrToString(Gdal.CPLGetLastErrorMsg());
        return string.IsNullOrWhiteSpace(message) ? fallback : message;
    }

    /// <summary>Clears GDAL's error state on this thread before an operation whose failure is reported by <see cref="FirstFailureMessage"/>.</summary>
    public static void ResetErrors()
    {
        _firstFailure = null;
        Gdal.CPLErrorReset();
    }

    /// <summary>The first failure since <see cref="ResetErrors"/> on this thread, else the last error, else a fallback.</summary>
    public static string FirstFailureMessage(string fallback) => _firstFailure ?? LastErrorMessage(fallback);

    /// <summary>Throws <see cref="GdalException"/> with GDAL's message when a CPLErr is a failure.</summary>
    public static void Check(int cplErr, string operation)
    {
        if (cplErr >= Gdal.CeFailure)
        {
            throw Failure(operation);
        }
    }

    public static GdalException Failure(string operation)
        => new(Gdal.CPLGetLastErrorNo(), $"{operation} failed: {LastErrorMessage("GDAL gave no message")}");

    public static nint Driver(string name)
    {
        EnsureInitialized();
        var driver = Gdal.GDALGetDriverByName(name);
        return driver != 0 ? driver : throw new GdalException(0, $"the GDAL driver '{name}' is not available in this GDAL build");
    }

    private static bool Initialize()
    {
        Gdal.GDALAllRegister();

        // GDAL prints errors to stderr by default; we surface them as exceptions instead. GDAL still records the
        // last error per thread before calling the handler, which is what Failure reads.
        Gdal.CPLSetErrorHandler(&QuietHandler);
        return true;
    }

    [UnmanagedCallersOnly]
    private static void QuietHandler(int errorClass, int errorNumber, byte* message)
    {
        if (errorClass >= Gdal.CeFailure && _firstFailure is null && message is not null)
        {
            _firstFailure = Marshal.PtrToStringUTF8((nint)message);
        }
    }
}
