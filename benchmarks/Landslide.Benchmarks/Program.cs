using BenchmarkDotNet.Running;
using Landslide.Benchmarks.Mapping;

// `map-scale` is a whole-process measurement (peak memory); everything else is BenchmarkDotNet.
if (args.Length > 0 && args[0] == "map-scale")
{
    return await MapScaleBench.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
