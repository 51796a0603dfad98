namespace Landslide.Core.Segmentation;

/// <summary>Identity of a segmentation model as recorded in run.json and answered by the inference service.</summary>
public sealed record ModelDescriptor(string Version, string Sha256, double Threshold, string FeatureVersion, int? Width = null);
