using System.Text.Json.Serialization;

namespace Landslide.Core.Segmentation;

/// <summary>Name and shape of one model tensor as recorded in manifest.json; -1 marks a dynamic dimension.</summary>
public sealed record ModelTensorSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape);
