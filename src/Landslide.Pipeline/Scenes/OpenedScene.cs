using Landslide.Raster.Scenes;

namespace Landslide.Pipeline.Scenes;

/// <summary>A scene opened from a blob; disposing closes it and deletes its temp copy, if it has one.</summary>
public sealed class OpenedScene(RasterScene scene, string? temporaryPath) : IDisposable
{
    public RasterScene Scene { get; } = scene;

    /// <summary>True when GDAL reads the blob with range requests (no local copy).</summary>
    public bool IsRemote => temporaryPath is null;

    public void Dispose()
    {
        Scene.Dispose();
        if (temporaryPath is not null)
        {
            File.Delete(temporaryPath);
        }
    }
}
