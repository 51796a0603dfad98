using System.Text.Json;
using Landslide.Core.Scenes;

namespace Landslide.Pipeline.Storage;

/// <summary>JSON of queue messages. A message that cannot be read is a bad message, not a crash.</summary>
internal static class PipelineMessages
{
    public static string Serialize<T>(T message) => JsonSerializer.Serialize(message);

    public static T Parse<T>(string text)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text) ?? throw new InvalidDataException($"empty {typeof(T).Name} message");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"unreadable {typeof(T).Name} message: {e.Message}", e);
        }
    }

    public static string ErrorJson(string scene, string blobName, string? blobETag, SceneError code, string message) =>
        JsonSerializer.Serialize(
            new Dictionary<string, object?>
            {
                ["scene"] = scene,
                ["blob"] = blobName,
                ["blob_version"] = blobETag,
                ["code"] = code.ToString(),
                ["message"] = message,
                ["at"] = DateTimeOffset.UtcNow,
            },
            new JsonSerializerOptions { WriteIndented = true });
}
