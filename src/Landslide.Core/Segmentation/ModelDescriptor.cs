namespace Landslide.Core.Segmentation;

/// <summary>
/// Identity of a segmentation model as recorded in run.json and answered by the inference service, with the detection
/// filter defaults its manifest recommends (null: none recorded).
/// </summary>
public sealed record ModelDescriptor(
    string Version, string Sha256, double Threshold, string FeatureVersion, int? Width = null, double? MinAreaM2 = null, double? MinMeanProbability = null);
