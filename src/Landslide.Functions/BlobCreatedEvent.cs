using System.Text.Json;

namespace Landslide.Functions;

/// <summary>
/// Reads the blob name out of an Event Grid Microsoft.Storage.BlobCreated event (Event Grid or CloudEvents schema),
/// as Event Grid writes it to a storage queue. The subject is /blobServices/default/containers/{container}/blobs/{name}.
/// </summary>
internal static class BlobCreatedEvent
{
    private const string EventType = "Microsoft.Storage.BlobCreated";
    private const string ContainersPrefix = "/blobServices/default/containers/";
    private const string BlobsSegment = "/blobs/";

    public static bool TryParse(string message, string container, out string name)
    {
        name = string.Empty;
        if (string.IsNullOrWhiteSpace(message))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var type = root.TryGetProperty("eventType", out var t) ? t.GetString() : root.TryGetProperty("type", out var ct) ? ct.GetString() : null;
            var subject = root.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (type != EventType || subject is null)
            {
                return false;
            }

            var prefix = ContainersPrefix + container + BlobsSegment;
            if (!subject.StartsWith(prefix, StringComparison.Ordinal) || subject.Length == prefix.Length)
            {
                return false;
            }

            name = subject[prefix.Length..];
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
