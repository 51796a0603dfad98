namespace Landslide.Infrastructure.Tests;

/// <summary>Tests sharing one run of infra/bicep.sh.</summary>
[CollectionDefinition(Name)]
public sealed class BicepCollection : ICollectionFixture<BicepCheckFixture>
{
    public const string Name = "bicep";
}
