namespace Landslide.InferenceServer.Models;

/// <summary>What models/current.json names, with a tag that changes whenever the file does.</summary>
public sealed record ModelPointer(string Version, string ETag);
