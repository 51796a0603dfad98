using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Landslide.Training.Modeling;

/// <summary>
/// libtorch 2.10's oneDNN AVX-512 convolution kernels returned garbage (different results for the same input, NaN
/// in training) on the AMD EPYC build machines; capping oneDNN at AVX2 makes them exact. oneDNN reads
/// DNNL_MAX_CPU_ISA from the native environment on first use, so it is set with libc's setenv (the managed
/// Environment does not reach native getenv on Unix) when this assembly loads, unless the host already chose one.
/// </summary>
internal static partial class NativeCpuGuard
{
    public const string Variable = "DNNL_MAX_CPU_ISA";

    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "must run before libtorch's first convolution, whatever the caller touches first")]
    [ModuleInitializer]
    internal static void Apply()
    {
        if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            _ = SetEnv(Variable, "AVX2", 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
