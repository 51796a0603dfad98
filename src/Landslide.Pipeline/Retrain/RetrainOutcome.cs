namespace Landslide.Pipeline.Retrain;

/// <summary>What a retrain check decided: started (with the job id) or not, and why.</summary>
public sealed record RetrainOutcome(bool Started, int NewPairs, string Reason, string? JobId = null);
