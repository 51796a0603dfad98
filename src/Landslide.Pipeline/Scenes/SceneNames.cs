namespace Landslide.Pipeline.Scenes;

/// <summary>The scene name of a blob: its file name without extension (results go to results/{scene}/).</summary>
public static class SceneNames
{
    public static string FromBlobName(string blobName) => Path.GetFileNameWithoutExtension(blobName.Replace('\\', '/').Split('/')[^1]);
}
