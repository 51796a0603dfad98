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

    /// <summary>GDAL's release name ("3.6.2"), "unknown" when it gives none.</summary>
    public static string ReleaseName
    {
        get
        {
            EnsureInitialized();
            return Gdal.PtrToString(Gdal.GDALVersionInfo("RELEASE_NAME")) ?? "unknown";
        }
    }

    /// <summary>GDAL's raster block cache size, process-wide (GDALGetCacheMax64 / GDALSetCacheMax64).</summary>
    public static long CacheMaxBytes
    {
        get
        {
            EnsureInitialized();
            return Gdal.GDALGetCacheMax64();
        }

        set
        {
            EnsureInitialized();
            Gdal.GDALSetCacheMax64(value);
        }
    }

    /// <summary>The last error's CPLErrorNum on this thread.</summary>
    public static int LastErrorNumber => Gdal.CPLGetLastErrorNo();

    /// <summary>Whether the last error GDAL recorded on this thread is a failure (CE_Failure or worse).</summary>
    public static bool LastErrorIsFailure => Gdal.CPLGetLastErrorType() >= Gdal.CeFailure;

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
    /// <summary>Sets a GDAL configuration option on this thread only, until the returned scope is disposed.</summary>
    public static IDisposable ThreadConfigOption(string key, string value)
    {
        Gdal.CPLSetThreadLocalConfigOption(key, value);
        return new ThreadConfigScope(key);
    }

    /// <summary>Whether a CPLErr is CE_Failure or worse (warnings and debug messages are not).</summary>
    public static bool IsFailure(int cplErr) => cplErr >= Gdal.CeFailure;

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

    private sealed class ThreadConfigScope(string key) : IDisposable
    {
        public void Dispose() => Gdal.CPLSetThreadLocalConfigOption(key, null);
    }
}
