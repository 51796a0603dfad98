namespace Landslide.Pipeline.SceneArrival;

/// <summary>What SceneArrived did: the run it planned (or found), its status, and the chunks it enqueued.</summary>
public sealed record SceneArrivedOutcome(string Scene, string RunId, string Status, int ChunksEnqueued);
