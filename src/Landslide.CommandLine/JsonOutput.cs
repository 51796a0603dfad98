using System.Text.Json;

namespace Landslide.CommandLine;

/// <summary>Writes a command's --json result: one indented JSON document on stdout, snake_case names.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static void Write<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, Options));
}
