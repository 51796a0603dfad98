namespace Landslide.InferenceServer.Models;

/// <summary>Opens a model version folder (model.onnx + manifest.json) as a segmenter; throws when it breaks the contract.</summary>
internal interface ISegmenterLoader
{
    ServingModel Load(string versionFolder);
}
