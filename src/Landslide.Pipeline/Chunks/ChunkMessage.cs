using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Chunks;

/// <summary>Queue "chunks": map tile rows [FirstTileRow, EndTileRow) of a run's scene.</summary>
public sealed record ChunkMessage(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("first_tile_row")] int FirstTileRow,
    [property: JsonPropertyName("end_tile_row")] int EndTileRow);
