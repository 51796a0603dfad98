using System.Text.Json;
using System.Text.Json.Nodes;
using Landslide.Core.Segmentation;
using Landslide.Training.Evaluation;

namespace Landslide.Training.Retraining;

/// <summary>
/// The webhook body when a retrain ends: <c>model.promoted</c> or <c>model.rejected</c>, with both models' metrics on
/// the same evaluation set (landslide class and two-class means), the gate's reason and the data fingerprint.
/// Written to models/{version}/event.json; the alert dispatcher signs and delivers it like a landslide alert.
/// </summary>
public static class ModelEvents
{
    public const string FileName = "event.json";
    public const string Promoted = "model.promoted";
    public const string Rejected = "model.rejected";

    public static byte[] Create(ModelManifest candidate, EvaluationReport? candidateReport, string? currentVersion, EvaluationReport? currentReport)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var promoted = candidate.Promotion?.Promoted ?? false;
        var body = new JsonObject
        {
            ["type"] = promoted ? Promoted : Rejected,
            ["model_version"] = candidate.Version,
            ["sha256"] = candidate.Sha256,
            ["parent_version"] = currentVersion,
            ["promoted"] = promoted,
            ["reason"] = candidate.Promotion?.Reason,
            ["evaluated_on"] = candidateReport?.Dataset,
            ["candidate"] = Metrics(candidate.Version, candidateReport),
            ["current"] = currentVersion is null ? null : Metrics(currentVersion, currentReport),
            ["threshold"] = candidate.Threshold,
            ["training_data_fingerprint"] = candidate.TrainingDataFingerprint,
            ["decided_at"] = (candidate.Promotion?.DecidedAt ?? candidate.CreatedAt).ToString("O"),
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    private static JsonObject Metrics(string version, EvaluationReport? report)
    {
        var m = report?.AtThreshold;
        return new JsonObject
        {
            ["version"] = version,
            ["landslide_precision"] = m is null ? null : Math.Round(m.LandslidePrecision, 4),
            ["landslide_recall"] = m is null ? null : Math.Round(m.LandslideRecall, 4),
            ["landslide_f1"] = m is null ? null : Math.Round(m.LandslideF1, 4),
            ["landslide_iou"] = m is null ? null : Math.Round(m.LandslideIoU, 4),
            ["mean_f1"] = m is null ? null : Math.Round(m.MeanF1, 4),
            ["mean_iou"] = m is null ? null : Math.Round(m.MeanIoU, 4),
        };
    }
}
