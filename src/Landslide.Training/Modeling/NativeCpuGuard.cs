using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Landslide.Training.Modeling;

/// <summary>
/// libtorch 2.10's oneDNN float32 convolutions returned wrong results on the AMD EPYC (AVX-512) build machines:
/// with AVX-512 nondeterministic garbage and NaN in training, with AVX2 deterministic but wrong (max 0.96 off in
/// probability against float64 and ONNX Runtime). Capped at SSE4.1 they match float64 to 5e-6. oneDNN reads
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
            _ = SetEnv(Variable, "SSE41", 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
