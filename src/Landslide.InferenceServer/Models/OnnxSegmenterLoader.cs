using Landslide.Inference;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer.Models;

/// <summary>Loads models with the shared ONNX Runtime segmenter (CUDA when present, else CPU).</summary>
internal sealed class OnnxSegmenterLoader(IOptions<InferenceServerOptions> options, ILogger<OnnxSegmenter> logger) : ISegmenterLoader
{
    public ServingModel Load(string versionFolder)
    {
        var segmenter = OnnxSegmenter.Open(
            new InferenceOptions
            {
                ModelPath = versionFolder,
                BatchSize = options.Value.MaxBatchTiles,
                PreferCuda = options.Value.PreferCuda,
            },
            logger);
        return new ServingModel(segmenter, segmenter.ExecutionProvider, segmenter);
    }
}
