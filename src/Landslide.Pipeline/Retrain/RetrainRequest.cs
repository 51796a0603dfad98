namespace Landslide.Pipeline.Retrain;

/// <summary>Why a retrain starts: how many new labelled pairs arrived since the current model, and their fingerprint.</summary>
public sealed record RetrainRequest(int NewPairs, string Fingerprint, string? CurrentModelVersion);
