namespace Landslide.InferenceServer.Batching;

/// <summary>What a request learns about the model call that served it.</summary>
internal readonly record struct BatchOutcome(string ModelVersion, int BatchTiles, int BatchRequests);
