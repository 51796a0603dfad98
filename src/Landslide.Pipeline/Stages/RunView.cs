using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Stages;

/// <summary>What GET /api/runs/{scene} answers: the latest run of the scene, its progress, and links to its outputs.</summary>
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
    [property: JsonPropertyName("links")] IReadOnlyDictionary<string, string> Links);
