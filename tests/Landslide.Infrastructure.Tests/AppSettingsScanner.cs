using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Landslide.Infrastructure.Tests;

/// <summary>
/// Finds the settings a host reads from its C# syntax (no compilation needed):
/// <c>AddOptions&lt;T&gt;().BindConfiguration("S")</c> / <c>Configure&lt;T&gt;(config.GetSection("S"))</c> with T's bindable
/// properties, trigger <c>Connection = "X"</c>, <c>%NAME%</c> in attribute strings and <c>configuration["NAME"]</c>.
/// </summary>
internal static partial class AppSettingsScanner
{
    private static readonly HashSet<string> CollectionTypes =
        ["IList", "List", "ICollection", "IEnumerable", "IReadOnlyList", "IReadOnlyCollection", "Collection"];

    /// <param name="hostSources">Sources whose configuration calls count (the host and the libraries it references).</param>
    /// <param name="allSources">Sources searched for options classes and constants.</param>
    public static CodeSettings Scan(IEnumerable<string> hostSources, IEnumerable<string> allSources)
    {
        var classes = new Dictionary<string, ClassDeclarationSyntax>(StringComparer.Ordinal);
        foreach (var text in allSources)
        {
            foreach (var type in CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                classes.TryAdd(type.Identifier.ValueText, type);
            }
        }

        var readable = new HashSet<string>(StringComparer.Ordinal);
        var required = new HashSet<string>(StringComparer.Ordinal);
        var connections = new HashSet<string>(StringComparer.Ordinal);
        var declarations = new Dictionary<string, SettingDeclaration>(StringComparer.Ordinal);
        foreach (var text in hostSources)
        {
            var root = CSharpSyntaxTree.ParseText(text).GetRoot();
            foreach (var invocation in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var name = MethodName(invocation);
                if (name is not ("BindConfiguration" or "GetSection") || invocation.ArgumentList.Arguments.Count == 0)
                {
                    continue;
                }

                var section = ResolveString(invocation.ArgumentList.Arguments[0].Expression, classes);
                var optionsType = section is null ? null : FindOptionsType(invocation);
                if (section is not null && optionsType is not null && classes.TryGetValue(optionsType, out var options))
                {
                    AddProperties(section.Replace(":", "__", StringComparison.Ordinal), options, classes, readable, required, declarations, depth: 0);
                }
            }

            foreach (var argument in root.DescendantNodes().OfType<AttributeArgumentSyntax>())
            {
                if (argument.Expression is not LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal)
                {
                    continue;
                }

                if (argument.NameEquals?.Name.Identifier.ValueText == "Connection")
                {
                    connections.Add(literal.Token.ValueText);
                }

                foreach (Match match in PercentSetting().Matches(literal.Token.ValueText))
                {
                    required.Add(match.Groups[1].Value);
                }
            }

            // configuration["NAME"] read directly by a host.
            foreach (var access in root.DescendantNodes().OfType<ElementAccessExpressionSyntax>())
            {
                var target = access.Expression.ToString();
                if (target.EndsWith("onfiguration", StringComparison.Ordinal) || target.EndsWith("Config", StringComparison.Ordinal))
                {
                    if (access.ArgumentList.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax key
                        && key.IsKind(SyntaxKind.StringLiteralExpression))
                    {
                        required.Add(key.Token.ValueText.Replace(":", "__", StringComparison.Ordinal));
                    }
                }
            }

            // configuration[Key], or Read(configuration, Key), with Key a const string "Section:Name" (of the enclosing
            // class, or Type.Key): a setting the host reads when present (serve's ServeConfiguration).
            foreach (var access in root.DescendantNodes().OfType<ElementAccessExpressionSyntax>())
            {
                if (IsConfiguration(access.Expression) && access.ArgumentList.Arguments.FirstOrDefault()?.Expression is { } key
                    && key is not LiteralExpressionSyntax && ResolveConstant(key, classes) is { } name && name.Contains(':', StringComparison.Ordinal))
                {
                    readable.Add(name.Replace(":", "__", StringComparison.Ordinal));
                }
            }

            foreach (var call in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var arguments = call.ArgumentList.Arguments;
                if (!arguments.Any(a => IsConfiguration(a.Expression)))
                {
                    continue;
                }

                foreach (var argument in arguments)
                {
                    if (argument.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax
                        && ResolveConstant(argument.Expression, classes) is { } name && name.Contains(':', StringComparison.Ordinal))
                    {
                        readable.Add(name.Replace(":", "__", StringComparison.Ordinal));
                    }
                }
            }
        }

        return new CodeSettings(readable, required, connections, declarations);
    }

    private static bool IsConfiguration(ExpressionSyntax expression)
    {
        var text = expression.ToString();
        return text.EndsWith("onfiguration", StringComparison.Ordinal) || text.EndsWith("Config", StringComparison.Ordinal);
    }

    /// <summary>A const string named by <paramref name="expression"/>: a field of the enclosing class, or Type.Field.</summary>
    private static string? ResolveConstant(ExpressionSyntax expression, Dictionary<string, ClassDeclarationSyntax> classes)
    {
        if (expression is not IdentifierNameSyntax identifier)
        {
            return ResolveString(expression, classes);
        }

        return expression.Ancestors().OfType<TypeDeclarationSyntax>()
            .SelectMany(t => t.Members.OfType<FieldDeclarationSyntax>())
            .Where(f => f.Modifiers.Any(m => m.IsKind(SyntaxKind.ConstKeyword)))
            .SelectMany(f => f.Declaration.Variables)
            .Where(v => v.Identifier.ValueText == identifier.Identifier.ValueText)
            .Select(v => (v.Initializer?.Value as LiteralExpressionSyntax)?.Token.ValueText)
            .FirstOrDefault(v => v is not null);
    }

    /// <summary>
    /// Bound settings whose options property no code reads: no member access <c>x.Property</c> (or <c>x?.Property</c>)
    /// anywhere but in its own options class's Validate, so validating a value does not count as using it. Syntax only: a property of the same
    /// name read elsewhere hides an unused one, never the other way round.
    /// </summary>
    public static IReadOnlyList<string> Unused(CodeSettings settings, IEnumerable<string> allSources)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var readOutside = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var text in allSources)
        {
            foreach (var node in CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes())
            {
                var name = node switch
                {
                    MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                    MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                    IdentifierNameSyntax bare when IsBareRead(bare) => bare.Identifier.ValueText,
                    _ => null,
                };
                if (name is null)
                {
                    continue;
                }

                // Validate() of the options class checks a value, it does not use it; any other member of the class
                // (a helper such as TileRowsPerChunk) reads it on behalf of its callers.
                var inValidate = node.Ancestors().OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.ValueText == "Validate");
                var owner = inValidate ? node.Ancestors().OfType<TypeDeclarationSyntax>().LastOrDefault()?.Identifier.ValueText ?? string.Empty : string.Empty;
                if (!readOutside.TryGetValue(name, out var owners))
                {
                    readOutside[name] = owners = new HashSet<string>(StringComparer.Ordinal);
                }

                owners.Add(owner);
            }
        }

        return [.. settings.Declarations
            .Where(d => !readOutside.TryGetValue(d.Value.Property, out var owners) || owners.All(o => o == d.Value.Class))
            .Select(d => d.Key)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>A plain identifier that reads a value: not the name of a member access (counted there), not the target of an object initializer, not inside nameof.</summary>
    private static bool IsBareRead(IdentifierNameSyntax identifier) =>
        identifier.Parent is not (MemberAccessExpressionSyntax or MemberBindingExpressionSyntax)
        && !(identifier.Parent is AssignmentExpressionSyntax assignment && assignment.Left == identifier && assignment.Parent is InitializerExpressionSyntax)
        && !identifier.Ancestors().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" });

    /// <summary>Writes every list index as 0 so Alerts__Webhooks__3__Url matches the pattern Alerts__Webhooks__0__Url.</summary>
    public static string NormalizeIndexes(string setting) => ListIndex().Replace(setting, "__0");

    private static void AddProperties(
        string prefix,
        ClassDeclarationSyntax type,
        Dictionary<string, ClassDeclarationSyntax> classes,
        HashSet<string> readable,
        HashSet<string> required,
        Dictionary<string, SettingDeclaration> declarations,
        int depth)
    {
        if (depth > 5)
        {
            return;
        }

        foreach (var property in type.Members.OfType<PropertyDeclarationSyntax>())
        {
            if (!property.Modifiers.Any(SyntaxKind.PublicKeyword) || property.Modifiers.Any(SyntaxKind.StaticKeyword))
            {
                continue;
            }

            var accessors = property.AccessorList?.Accessors;
            // The binder sets public setters only: `internal set` (a value taken from elsewhere, tests may change it) is no setting.
            var settable = accessors?.Any(a => a.Kind() is SyntaxKind.SetAccessorDeclaration or SyntaxKind.InitAccessorDeclaration
                && a.Modifiers.Count == 0) == true;
            var (collection, element) = CollectionElement(property.Type);
            if (!settable && !collection)
            {
                continue; // computed or get-only scalar: the binder cannot set it.
            }

            if (IsDelegate(property.Type))
            {
                continue; // Func<...> and friends are set in code, never from configuration.
            }

            var name = $"{prefix}__{property.Identifier.ValueText}";
            var isRequired = property.AttributeLists.SelectMany(l => l.Attributes)
                .Any(a => a.Name.ToString() is "Required" or "RequiredAttribute");
            if (collection)
            {
                name += "__0";
            }

            var nestedName = element ?? SimpleTypeName(property.Type);
            if (nestedName is not null && classes.TryGetValue(nestedName, out var nested) && nested != type)
            {
                AddProperties(name, nested, classes, readable, required, declarations, depth + 1);
                continue;
            }

            readable.Add(name);
            declarations[name] = new SettingDeclaration(type.Identifier.ValueText, property.Identifier.ValueText);
            if (isRequired)
            {
                required.Add(name);
            }
        }
    }

    private static (bool Collection, string? Element) CollectionElement(TypeSyntax type)
    {
        var unwrapped = type is NullableTypeSyntax nullable ? nullable.ElementType : type;
        return unwrapped switch
        {
            ArrayTypeSyntax array => (true, SimpleTypeName(array.ElementType)),
            GenericNameSyntax generic when CollectionTypes.Contains(generic.Identifier.ValueText) && generic.TypeArgumentList.Arguments.Count == 1
                => (true, SimpleTypeName(generic.TypeArgumentList.Arguments[0])),
            QualifiedNameSyntax { Right: GenericNameSyntax generic } when CollectionTypes.Contains(generic.Identifier.ValueText)
                => (true, SimpleTypeName(generic.TypeArgumentList.Arguments[0])),
            _ => (false, null),
        };
    }

    private static bool IsDelegate(TypeSyntax type)
    {
        var name = SimpleTypeName(type is NullableTypeSyntax n ? n.ElementType : type);
        return name is "Func" or "Action" or "Delegate";
    }

    private static string? SimpleTypeName(TypeSyntax type) => type switch
    {
        NullableTypeSyntax nullable => SimpleTypeName(nullable.ElementType),
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        GenericNameSyntax generic => generic.Identifier.ValueText,
        QualifiedNameSyntax qualified => SimpleTypeName(qualified.Right),
        _ => null,
    };

    private static string? MethodName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        GenericNameSyntax generic => generic.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The T of AddOptions&lt;T&gt; / Configure&lt;T&gt; / Bind&lt;T&gt; in the call chain or enclosing call.</summary>
    private static string? FindOptionsType(InvocationExpressionSyntax invocation)
    {
        // Chain: services.AddOptions<T>().BindConfiguration("S") - look left through the receiver.
        for (ExpressionSyntax? current = invocation.Expression; current is not null;)
        {
            switch (current)
            {
                case MemberAccessExpressionSyntax member:
                    if (member.Name is GenericNameSyntax generic && generic.Identifier.ValueText is "AddOptions" or "Configure" or "AddOptionsWithValidateOnStart")
                    {
                        return SimpleTypeName(generic.TypeArgumentList.Arguments[0]);
                    }

                    current = member.Expression;
                    break;
                case InvocationExpressionSyntax inner:
                    current = inner.Expression;
                    break;
                default:
                    current = null;
                    break;
            }
        }

        // Argument: services.Configure<T>(configuration.GetSection("S")).
        foreach (var outer in invocation.Ancestors().OfType<InvocationExpressionSyntax>())
        {
            var name = outer.Expression switch
            {
                MemberAccessExpressionSyntax { Name: GenericNameSyntax g } => g,
                GenericNameSyntax g => g,
                _ => null,
            };
            if (name is not null && name.Identifier.ValueText is "Configure" or "AddOptions" or "Bind")
            {
                return SimpleTypeName(name.TypeArgumentList.Arguments[0]);
            }

            // services.AddOptions<T>().Bind(configuration.GetSection("S")).
            if (outer.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Bind" } bind)
            {
                return FindOptionsType(SyntaxFactory.InvocationExpression(bind));
            }
        }

        return null;
    }

    private static string? ResolveString(ExpressionSyntax expression, Dictionary<string, ClassDeclarationSyntax> classes)
    {
        if (expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return literal.Token.ValueText;
        }

        // Options.SectionName: a const string on a class in src/.
        if (expression is MemberAccessExpressionSyntax member
            && SimpleTypeName(member.Expression as TypeSyntax ?? SyntaxFactory.IdentifierName(member.Expression.ToString().Split('.')[^1])) is { } typeName
            && classes.TryGetValue(typeName, out var type))
        {
            var field = type.Members.OfType<FieldDeclarationSyntax>()
                .SelectMany(f => f.Declaration.Variables)
                .FirstOrDefault(v => v.Identifier.ValueText == member.Name.Identifier.ValueText);
            return (field?.Initializer?.Value as LiteralExpressionSyntax)?.Token.ValueText;
        }

        return null;
    }

    [GeneratedRegex("%([A-Za-z0-9_:]+)%")]
    private static partial Regex PercentSetting();

    [GeneratedRegex(@"__\d+(?=__|$)")]
    private static partial Regex ListIndex();
}
