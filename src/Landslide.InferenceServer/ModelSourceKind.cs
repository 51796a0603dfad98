namespace Landslide.InferenceServer;

/// <summary>Where the server finds models/current.json and the version folders.</summary>
public enum ModelSourceKind
{
    /// <summary>A local folder (InferenceServer:ModelsRoot): a mounted volume or the laptop.</summary>
    Folder,

    /// <summary>The blob container "models" (InferenceServer:Blob), downloaded into ModelsRoot as a cache.</summary>
    Blob,
}
