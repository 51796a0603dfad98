using System.Text.Json.Serialization;

namespace Landslide.Core.Segmentation;

/// <summary>
/// Evaluation figures of a model (docs/MODEL.md, "Metrics"), pooled over every valid pixel of
/// <see cref="EvaluatedOn"/> at the manifest's threshold. Landslide-class figures are the leaderboard metric;
/// the two-class means are what the paper reports. Figures not measured are null.
/// </summary>
public sealed record ModelMetrics
{
    /// <summary>The data the figures were measured on, e.g. "l4s-holdout-6 (2, 40, 150, 525, 700, 902)".</summary>
    [JsonPropertyName("evaluated_on")]
    public required string EvaluatedOn { get; init; }

    [JsonPropertyName("precision")]
    public double? Precision { get; init; }

    [JsonPropertyName("recall")]
    public double? Recall { get; init; }

    [JsonPropertyName("f1")]
    public double? F1 { get; init; }

    [JsonPropertyName("iou")]
    public double? Iou { get; init; }

    [JsonPropertyName("mean_f1")]
    public double? MeanF1 { get; init; }

    [JsonPropertyName("mean_iou")]
    public double? MeanIou { get; init; }
}
