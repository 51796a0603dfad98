using System.Text.Json.Serialization;

namespace Landslide.Core.Segmentation;

/// <summary>
/// models/{version}/manifest.json, written by the training job beside model.onnx and read by every consumer
/// (docs/ARCHITECTURE.md, "Contracts"). JSON property names are snake_case and fixed by the attributes, so any
/// <see cref="System.Text.Json.JsonSerializerOptions"/> (including the defaults) reads and writes the same file.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "manifest.json";
    public const string ModelFileName = "model.onnx";

    [JsonPropertyName("version")]
    public required string Version { get; init; }

    /// <summary>Lower-case hex SHA-256 of model.onnx; consumers refuse a model whose bytes do not match.</summary>
    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }

    /// <summary>Network width F (docs/MODEL.md); null when the model is not a RAU-Net.</summary>
    [JsonPropertyName("width")]
    public int? Width { get; init; }

    [JsonPropertyName("feature_version")]
    public required string FeatureVersion { get; init; }

    [JsonPropertyName("input")]
    public required ModelTensorSpec Input { get; init; }

    [JsonPropertyName("output")]
    public required ModelTensorSpec Output { get; init; }

    [JsonPropertyName("threshold")]
    public double Threshold { get; init; } = 0.5;

    /// <summary>Detection filter: polygons smaller than this (m²) are dropped by default; null = the mapper's built-in default.</summary>
    [JsonPropertyName("min_area_m2")]
    public double? MinAreaM2 { get; init; }

    /// <summary>Detection filter: polygons whose mean probability is below this are dropped by default; null = the mapper's built-in default.</summary>
    [JsonPropertyName("min_mean_probability")]
    public double? MinMeanProbability { get; init; }

    [JsonPropertyName("metrics")]
    public ModelMetrics? Metrics { get; init; }

    [JsonPropertyName("training_data_fingerprint")]
    public string? TrainingDataFingerprint { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>How the model was trained (recipe, data, deviations); null for models from elsewhere.</summary>
    [JsonPropertyName("training")]
    public ModelTrainingInfo? Training { get; init; }

    /// <summary>The promotion gate's decision and both F1 figures; null when the gate has not run.</summary>
    [JsonPropertyName("promotion")]
    public ModelPromotion? Promotion { get; init; }

    /// <summary>The contract's input spec with a dynamic batch: features [-1, 23, 128, 128].</summary>
    public static ModelTensorSpec ContractInput { get; } =
        new(ModelContract.InputName, [-1, ModelContract.FeatureChannels, ModelContract.TileSize, ModelContract.TileSize]);

    /// <summary>The contract's output spec with a dynamic batch: probability [-1, 1, 128, 128].</summary>
    public static ModelTensorSpec ContractOutput { get; } =
        new(ModelContract.OutputName, [-1, 1, ModelContract.TileSize, ModelContract.TileSize]);

    public ModelDescriptor ToDescriptor() => new(Version, Sha256, Threshold, FeatureVersion, Width, MinAreaM2, MinMeanProbability);
}
