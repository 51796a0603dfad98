using System.Text.Json.Serialization;

namespace Landslide.Core.Segmentation;

/// <summary>How a model was trained, recorded in its manifest so the run can be reproduced and judged.</summary>
public sealed record ModelTrainingInfo
{
    /// <summary>The tiles trained on, e.g. "l4s-train-15 (1, 3, 16, ...)".</summary>
    [JsonPropertyName("trained_on")]
    public required string TrainedOn { get; init; }

    [JsonPropertyName("epochs")]
    public int Epochs { get; init; }

    [JsonPropertyName("batch_size")]
    public int BatchSize { get; init; }

    [JsonPropertyName("learning_rate_scale")]
    public double LearningRateScale { get; init; } = 1.0;

    [JsonPropertyName("seed")]
    public int Seed { get; init; }

    [JsonPropertyName("attention")]
    public string? Attention { get; init; }

    [JsonPropertyName("final_loss")]
    public double? FinalLoss { get; init; }

    [JsonPropertyName("command")]
    public string? Command { get; init; }

    /// <summary>Deviations from docs/MODEL.md's recipe and other caveats, in words.</summary>
    [JsonPropertyName("notes")]
    public string? Notes { get; init; }
}
