using System.Text.Json.Serialization;

namespace Landslide.Training.Registry;

/// <summary>
/// models/{version}/training-data.json: the data fingerprint (also in manifest.json) and every item it covers, with
/// its role (trained on, evaluated on, or skipped with the reason).
/// </summary>
public sealed record TrainingDataRecord
{
    public const string FileName = "training-data.json";

    [JsonPropertyName("fingerprint")]
    public required string Fingerprint { get; init; }

    [JsonPropertyName("items")]
    public required IReadOnlyList<TrainingDataItem> Items { get; init; }

    [JsonPropertyName("skipped")]
    public IReadOnlyDictionary<string, string> Skipped { get; init; } = new Dictionary<string, string>();
}
