using System.Text.Json.Serialization;
using Landslide.Pipeline.Stalls;

namespace Landslide.Pipeline.Queries;

/// <summary>
/// What GET /api/runs/{scene} answers: the latest run of the scene, its progress, and read-only links to its outputs.
/// Status is the run's, or "stalled" while a chunk or finalize worker has stopped beating (see <see cref="Stalled"/>).
/// </summary>
public sealed record RunView(
    [property: JsonPropertyName("scene")] string Scene,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("chunks_done")] int ChunksDone,
    [property: JsonPropertyName("chunk_count")] int ChunkCount,
    [property: JsonPropertyName("polygons")] int Polygons,
    [property: JsonPropertyName("landslide_area_m2")] double LandslideAreaM2,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("links")] IReadOnlyDictionary<string, string> Links)
{
    /// <summary>Band profile the run maps with.</summary>
    [JsonPropertyName("profile")]
    public string? Profile { get; init; }

    /// <summary>Parts whose worker stopped (status is then "stalled"); null when nothing is stalled.</summary>
    [JsonPropertyName("stalled")]
    public IReadOnlyList<StallView>? Stalled { get; init; }
}
