using System.Text.Json.Serialization;

namespace Landslide.Training.Registry;

/// <summary>One item of a model's training data: a labelled pair or an L4S patch, its content hash, and its role.</summary>
public sealed record TrainingDataItem(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("role")] string Role)
{
    public const string Train = "train";
    public const string Evaluation = "evaluation";
    public const string Skipped = "skipped";
}
