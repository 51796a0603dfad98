namespace Landslide.Pipeline.Tests.Architecture;

/// <summary>Landslide.Pipeline's folders (= namespaces) depend on each other one way: no namespace cycles.</summary>
public sealed class NamespaceDependencyTests
{
    private const string Root = "Landslide.Pipeline";

    [Fact]
    public void PipelineNamespaces_HaveNoCycles()
    {
        var graph = NamespaceGraph.FromFolder(Root, Path.Combine(RepositoryRoot(), "src", "Landslide.Pipeline"));

        Assert.Contains($"{Root}.Mapping", graph.Namespaces);
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, $"namespace cycles in src/Landslide.Pipeline: {string.Join("; ", cycles)}");
    }

    [Fact]
    public void Graph_NamesTheCycle_OfTwoNamespacesUsingEachOther()
    {
        var graph = NamespaceGraph.FromSources(Root, [
            "using Landslide.Pipeline.Storage;\nnamespace Landslide.Pipeline.Stages;\ninternal sealed class Handler(Store store) { }",
            "namespace Landslide.Pipeline.Storage;\ninternal sealed class Store { public void Save() => Landslide.Pipeline.Stages.Names.Of(); }",
            "namespace Landslide.Pipeline.Stages;\ninternal static class Names { public static void Of() { } }",
        ]);

        Assert.Equal(["Landslide.Pipeline.Stages -> Landslide.Pipeline.Storage -> Landslide.Pipeline.Stages"], graph.Cycles());
    }

    [Fact]
    public void Graph_SeesRelativeReferences_AndRootTypesWithoutUsing()
    {
        var graph = NamespaceGraph.FromSources(Root, [
            "namespace Landslide.Pipeline;\npublic sealed class PipelineOptions { public int Size { get; } = Mapping.Defaults.Size; }",
            "namespace Landslide.Pipeline.Mapping;\npublic static class Defaults { public const int Size = 1; public static PipelineOptions? Last; }",
            "namespace Landslide.Pipeline.Chunks;\n// Mapping.Defaults in a comment is no reference.\ninternal sealed class Worker { }",
        ]);

        Assert.Equal(["Landslide.Pipeline.Mapping"], graph.DependenciesOf(Root));
        Assert.Equal([Root], graph.DependenciesOf("Landslide.Pipeline.Mapping"));
        Assert.Empty(graph.DependenciesOf("Landslide.Pipeline.Chunks"));
        Assert.Equal(["Landslide.Pipeline -> Landslide.Pipeline.Mapping -> Landslide.Pipeline"], graph.Cycles());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Landslide.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Landslide.Functions.sln above {AppContext.BaseDirectory}");
    }
}
