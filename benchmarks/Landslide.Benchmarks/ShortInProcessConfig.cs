using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Landslide.Benchmarks;

/// <summary>
/// The benchmarks' job: BenchmarkDotNet's short run, in process. An out-of-process toolchain would rebuild the
/// solution into the shared artifacts folder, and short runs keep a benchmark to minutes on 2 cores.
/// </summary>
internal sealed class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}
