using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Mapping;

public sealed record RunSettings(
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("overlap")] int Overlap,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("min_area_m2")] double MinAreaM2,
    [property: JsonPropertyName("min_mean_probability")] double MinMeanProbability = 0);
