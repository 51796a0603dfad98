using Microsoft.Azure.WebJobs;

namespace Landslide.Pipeline.Hosting;

/// <summary>Tells the WebJobs SDK where the functions are (it would otherwise scan the entry assembly, the CLI).</summary>
internal sealed class LocalFunctionsTypeLocator : ITypeLocator
{
    public IReadOnlyList<Type> GetTypes() => [typeof(LocalFunctions)];
}
