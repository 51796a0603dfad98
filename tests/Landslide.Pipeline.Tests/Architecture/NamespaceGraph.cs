using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Landslide.Pipeline.Tests.Architecture;

/// <summary>
/// Which namespace of a project uses which, read from its sources: <c>using Landslide.Pipeline.X</c> directives (plain,
/// static and alias), qualified references (<c>Landslide.Pipeline.X.Type</c>, or <c>X.Type</c> relative to the root),
/// and types of the root namespace named without a using (a nested namespace sees them implicitly).
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedSet<string>> _edges;

    private NamespaceGraph(string root, Dictionary<string, SortedSet<string>> edges)
    {
        Root = root;
        _edges = edges;
    }

    public string Root { get; }

    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    public IReadOnlySet<string> DependenciesOf(string ns) => _edges.TryGetValue(ns, out var to) ? to : new SortedSet<string>();

    public static NamespaceGraph FromFolder(string root, string folder)
    {
        var sources = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .Select(File.ReadAllText);
        return FromSources(root, sources);
    }

    public static NamespaceGraph FromSources(string root, IEnumerable<string> sources)
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var files = sources.Select(s => CSharpSyntaxTree.ParseText(s, options).GetCompilationUnitRoot())
            .Select(unit => (Unit: unit, Namespace: unit.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString()))
            .Where(f => f.Namespace is not null && (f.Namespace == root || f.Namespace.StartsWith(root + ".", StringComparison.Ordinal)))
            .ToList();

        var typesByNamespace = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (unit, ns) in files)
        {
            var declared = typesByNamespace.TryGetValue(ns!, out var set) ? set : typesByNamespace[ns!] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in unit.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().SelectMany(n => n.Members))
            {
                if (type is BaseTypeDeclarationSyntax t)
                {
                    declared.Add(t.Identifier.Text);
                }
                else if (type is DelegateDeclarationSyntax d)
                {
                    declared.Add(d.Identifier.Text);
                }
            }
        }

        var edges = typesByNamespace.Keys.ToDictionary(n => n, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var rootTypes = typesByNamespace.GetValueOrDefault(root) ?? [];
        foreach (var (unit, ns) in files)
        {
            var from = ns!;
            void Add(string? to)
            {
                if (to is not null && to != from && edges.ContainsKey(to))
                {
                    edges[from].Add(to);
                }
            }

            foreach (var directive in unit.DescendantNodes().OfType<UsingDirectiveSyntax>())
            {
                Add(Known(directive.NamespaceOrType?.ToString()));
            }

            foreach (var node in unit.DescendantNodes().Where(n => n is QualifiedNameSyntax or MemberAccessExpressionSyntax or AliasQualifiedNameSyntax))
            {
                if (node.Parent is QualifiedNameSyntax or MemberAccessExpressionSyntax or AliasQualifiedNameSyntax or BaseNamespaceDeclarationSyntax || node.Ancestors().Any(a => a is UsingDirectiveSyntax))
                {
                    continue;
                }

                var dotted = string.Concat(node.ToString().Where(c => !char.IsWhiteSpace(c))).Replace("global::", string.Empty, StringComparison.Ordinal);
                if (dotted.StartsWith(root + ".", StringComparison.Ordinal))
                {
                    Add(Known(dotted));
                    continue;
                }

                // Relative to the root: inside Landslide.Pipeline.Stages, "Mapping.RunDefaults" is Landslide.Pipeline.Mapping.RunDefaults.
                var parts = dotted.Split('.');
                if (parts.Length >= 2 && typesByNamespace.TryGetValue($"{root}.{parts[0]}", out var types) && types.Contains(StripGeneric(parts[1])))
                {
                    Add($"{root}.{parts[0]}");
                }
            }

            if (from != root && unit.DescendantNodes().OfType<SimpleNameSyntax>().Any(n => rootTypes.Contains(n.Identifier.Text) && IsTypeLike(n)))
            {
                Add(root);
            }
        }

        return new NamespaceGraph(root, edges);

        // The longest declared namespace that prefixes a dotted name (a namespace, a type in it, or a member of that type).
        string? Known(string? dotted)
        {
            if (dotted is null)
            {
                return null;
            }

            for (var name = dotted; name.Length > 0; name = name.LastIndexOf('.') is var i and > 0 ? name[..i] : string.Empty)
            {
                if (typesByNamespace.ContainsKey(name))
                {
                    return name;
                }
            }

            return null;
        }
    }

    /// <summary>The shortest cycle through each namespace that is on one, as "A -> B -> A" (starting at the first name), without repeats.</summary>
    public IReadOnlyList<string> Cycles()
    {
        var cycles = new List<string>();
        foreach (var group in StronglyConnected().Where(g => g.Count > 1))
        {
            foreach (var start in group.Order(StringComparer.Ordinal))
            {
                var path = PathBack(start, group);
                var first = path.Take(path.Count - 1).Select((n, i) => (n, i)).MinBy(p => p.n, StringComparer.Ordinal).i;
                var rotated = path.Skip(first).Take(path.Count - 1 - first).Concat(path.Take(first + 1));
                var text = string.Join(" -> ", rotated);
                if (!cycles.Contains(text))
                {
                    cycles.Add(text);
                }
            }
        }

        return cycles;
    }

    private List<string> PathBack(string start, HashSet<string> group)
    {
        // Breadth-first from start's successors back to start, inside the group: the shortest cycle through start.
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var next in _edges[start].Where(group.Contains))
        {
            previous.TryAdd(next, start);
            queue.Enqueue(next);
        }

        while (queue.TryDequeue(out var node))
        {
            if (node == start)
            {
                break;
            }

            foreach (var next in _edges[node].Where(group.Contains))
            {
                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        var path = new List<string> { start };
        for (var node = previous[start]; node != start; node = previous[node])
        {
            path.Add(node);
        }

        path.Add(start);
        path.Reverse();
        return path;
    }

    private List<HashSet<string>> StronglyConnected()
    {
        // Tarjan's algorithm.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<HashSet<string>>();
        foreach (var node in _edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return groups;

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in _edges[node])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var group = new HashSet<string>(StringComparer.Ordinal);
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    group.Add(member);
                }
                while (member != node);
                groups.Add(group);
            }
        }
    }

    private static string StripGeneric(string name) => name.Split('<')[0];

    // A name in a type position or the receiver of a static member: not a local, parameter or member of the same name.
    private static bool IsTypeLike(SimpleNameSyntax name) =>
        name.Parent is not MemberAccessExpressionSyntax access || access.Expression == name;
}
