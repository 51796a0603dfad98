using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Mapping;

/// <summary>run.json: what produced the outputs (scene, model, settings) and what came out, with timings per stage.</summary>
public sealed record RunRecord
{
    public const string FileName = "run.json";

    [JsonPropertyName("run_id")]
    public required string RunId { get; init; }

    [JsonPropertyName("scene")]
    public required RunScene Scene { get; init; }

    [JsonPropertyName("model")]
    public required RunModel Model { get; init; }

    [JsonPropertyName("settings")]
    public required RunSettings Settings { get; init; }

    [JsonPropertyName("counts")]
    public required RunCounts Counts { get; init; }

    /// <summary>Seconds spent per stage (read, features, inference, blend_write, polygonize, quicklook, total).</summary>
    [JsonPropertyName("timings_s")]
    public required IReadOnlyDictionary<string, double> TimingsSeconds { get; init; }

    [JsonPropertyName("outputs")]
    public required IReadOnlyList<string> Outputs { get; init; }

    [JsonPropertyName("started_at")]
    public DateTimeOffset StartedAt { get; init; }

    [JsonPropertyName("finished_at")]
    public DateTimeOffset FinishedAt { get; init; }

    [JsonPropertyName("tool")]
    public string Tool { get; init; } = "landslide " + typeof(RunRecord).Assembly.GetName().Version;
}
