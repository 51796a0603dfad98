using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Stalls;

/// <summary>A part of a run whose worker stopped beating: which part, since when, and when the sweeper re-queued it.</summary>
public sealed record StallView(
    [property: JsonPropertyName("part")] string Part,
    [property: JsonPropertyName("since")] DateTimeOffset Since,
    [property: JsonPropertyName("requeued_at")] DateTimeOffset? RequeuedAt);
