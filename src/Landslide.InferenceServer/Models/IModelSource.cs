namespace Landslide.InferenceServer.Models;

/// <summary>
/// Where models come from: a local folder here, blob storage in the cloud (a BlobModelSource would read
/// models/current.json with its ETag and download models/{version}/ into a local cache folder). Both share
/// the layout: current.json = {"version": "..."}, and {version}/model.onnx + {version}/manifest.json.
/// </summary>
public interface IModelSource
{
    /// <summary>Reads current.json; null when there is none yet.</summary>
    Task<ModelPointer?> ReadCurrentAsync(CancellationToken cancellationToken);

    /// <summary>Makes the version's files available locally and returns the folder that holds them.</summary>
    Task<string> FetchAsync(string version, CancellationToken cancellationToken);
}
