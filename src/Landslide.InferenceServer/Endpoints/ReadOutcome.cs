namespace Landslide.InferenceServer.Endpoints;

/// <summary>The result of reading a body: no error means every feature arrived and passed its checks.</summary>
internal readonly record struct ReadOutcome(ReadError? Error);
