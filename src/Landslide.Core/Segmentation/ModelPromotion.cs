using System.Text.Json.Serialization;

namespace Landslide.Core.Segmentation;

/// <summary>
/// The promotion gate's decision for a model (docs/ARCHITECTURE.md): promoted when its holdout landslide F1 is not lower than
/// the current model's minus the tolerance. Both figures are recorded.
/// </summary>
public sealed record ModelPromotion
{
    [JsonPropertyName("promoted")]
    public required bool Promoted { get; init; }

    [JsonPropertyName("candidate_f1")]
    public double? CandidateF1 { get; init; }

    [JsonPropertyName("current_version")]
    public string? CurrentVersion { get; init; }

    [JsonPropertyName("current_f1")]
    public double? CurrentF1 { get; init; }

    [JsonPropertyName("tolerance")]
    public double Tolerance { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    [JsonPropertyName("decided_at")]
    public DateTimeOffset DecidedAt { get; init; }
}
