using Landslide.Core.Scenes;

namespace Landslide.Pipeline.Mapping;

/// <summary>One mapping run: which scene, where the outputs go, and how.</summary>
public sealed record MapRequest(string ScenePath, string OutputDirectory, MapOptions Options)
{
    /// <summary>Size limits the scene must respect.</summary>
    public SceneLimits Limits { get; init; } = new();

    /// <summary>Version (ETag) of the scene blob when it came from storage; recorded in run.json.</summary>
    public string? BlobVersion { get; init; }
}
