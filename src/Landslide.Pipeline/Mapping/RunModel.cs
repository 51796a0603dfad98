using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Mapping;

public sealed record RunModel(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("feature_version")] string FeatureVersion,
    [property: JsonPropertyName("width")] int? Width);
