using System.Text.Json;
using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Alerts;

/// <summary>
/// Queue "alerts": a retrain's <c>model.promoted</c> / <c>model.rejected</c> event to deliver. The body is
/// <c>models/{version}/event.json</c>; the dispatcher signs it per webhook like a landslide alert, with delivery key
/// <c>model-{version}-w{slot}</c>.
/// </summary>
public sealed record ModelEventMessage(
    [property: JsonPropertyName("model_event")] string Version,
    [property: JsonPropertyName("type")] string Type)
{
    public const string EventBlob = "event.json";

    public string BlobName => $"{Version}/{EventBlob}";

    public static string DeliveryKey(string version, int slot) => FormattableString.Invariant($"model-{version}-w{slot}");

    /// <summary>True when <paramref name="text"/> is a model event (it carries "model_event"), not a run's alert.</summary>
    public static bool TryParse(string text, out ModelEventMessage? message)
    {
        message = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("model_event", out _))
            {
                message = document.RootElement.Deserialize<ModelEventMessage>();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return message is not null;
    }
}
