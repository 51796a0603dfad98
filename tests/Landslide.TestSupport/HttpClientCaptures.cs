using Microsoft.Extensions.DependencyInjection;

namespace Landslide.TestSupport;

/// <summary>
/// The services of a host that take an <see cref="HttpClient"/> in a constructor (typed clients). The container makes
/// a typed client per resolve; a singleton that holds one pins its handler (and DNS answer) for the life of the
/// process. The hosts here consume HTTP from singletons, so every caller takes <see cref="IHttpClientFactory"/> and
/// creates its named client per use: the list must be empty.
/// </summary>
public static class HttpClientCaptures
{
    public static IReadOnlyList<string> Find(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return [.. services
            .SelectMany(d => new[] { d.ServiceType, d.IsKeyedService ? d.KeyedImplementationType : d.ImplementationType })
            .OfType<Type>()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }
                && t.Assembly.GetName().Name!.StartsWith("Landslide.", StringComparison.Ordinal))
            .Distinct()
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(HttpClient))))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)];
    }
}
