using System.Globalization;
using System.Text.Json;

namespace Landslide.Pipeline.Triggers;

/// <summary>
/// The repository's host.json (embedded at build time): the one source of the queue and blob-trigger settings. The
/// Functions host reads the file itself; `landslide serve` and the stage handlers read them from here, so the two
/// hostings cannot drift.
/// </summary>
public static class HostJson
{
    private static readonly Lazy<(HostQueueSettings Queues, HostBlobSettings Blobs)> Embedded = new(LoadEmbedded);

    /// <summary>extensions.queues of host.json.</summary>
    public static HostQueueSettings Queues => Embedded.Value.Queues;

    /// <summary>extensions.blobs of host.json.</summary>
    public static HostBlobSettings Blobs => Embedded.Value.Blobs;

    /// <summary>Reads the queue and blob settings of a host.json document; every one of them must be present.</summary>
    /// <exception cref="InvalidDataException">A setting is missing or not of its type.</exception>
    public static (HostQueueSettings Queues, HostBlobSettings Blobs) Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var extensions = Property(document.RootElement, "extensions");
        var queues = Property(extensions, "queues");
        var blobs = Property(extensions, "blobs");
        return (
            new HostQueueSettings(
                Int(queues, "batchSize"),
                Int(queues, "newBatchThreshold"),
                Int(queues, "maxDequeueCount"),
                Span(queues, "visibilityTimeout"),
                Span(queues, "maxPollingInterval"),
                Property(queues, "messageEncoding").GetString() ?? throw Missing("messageEncoding")),
            new HostBlobSettings(Int(blobs, "maxDegreeOfParallelism"), Int(blobs, "poisonBlobThreshold")));
    }

    private static (HostQueueSettings, HostBlobSettings) LoadEmbedded()
    {
        using var stream = typeof(HostJson).Assembly.GetManifestResourceStream("host.json")
            ?? throw new InvalidOperationException($"host.json is not embedded in {typeof(HostJson).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : throw Missing(name);

    private static int Int(JsonElement element, string name) =>
        Property(element, name).TryGetInt32(out var value) ? value : throw new InvalidDataException($"host.json: {name} is not an integer");

    private static TimeSpan Span(JsonElement element, string name) =>
        TimeSpan.TryParse(Property(element, name).GetString(), CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"host.json: {name} is not a time span (hh:mm:ss)");

    private static InvalidDataException Missing(string name) => new($"host.json: {name} is missing");
}
