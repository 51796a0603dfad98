using System.Text.Json;

namespace Landslide.Infrastructure.Tests;

/// <summary>Reads compiled ARM templates: resources at any depth (nested module deployments included).</summary>
internal static class ArmTemplate
{
    /// <summary>Every resource declaration of the given type, however deeply nested.</summary>
    public static IReadOnlyList<JsonElement> Resources(JsonElement template, string type)
    {
        var found = new List<JsonElement>();
        Walk(template, found, type);
        return found;
    }

    public static JsonElement Property(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            Assert.True(
                current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out current),
                $"missing '{string.Join('.', path)}' in {Shorten(element)}");
        }

        return current;
    }

    public static string? StringOrNull(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.String ? current.GetString() : current.GetRawText();
    }

    private static void Walk(JsonElement element, List<JsonElement> found, string type)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                    && element.TryGetProperty("apiVersion", out _)
                    && string.Equals(t.GetString(), type, StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(element);
                }

                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, found, type);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, found, type);
                }

                break;
            default:
                break;
        }
    }

    private static string Shorten(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 300 ? text : text[..300] + "...";
    }
}
