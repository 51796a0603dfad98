using System.Reflection;
using Landslide.Core.Segmentation;
using Microsoft.Extensions.Logging;

namespace Landslide.Inference;

/// <summary>
/// The model shipped inside this assembly (models/embedded/ in the repository): what `landslide map` uses when no
/// --model is given, so a fresh clone maps without downloading anything.
/// </summary>
public static class EmbeddedModel
{
    private const string ModelResource = "Landslide.Inference.embedded.model.onnx";
    private const string ManifestResource = "Landslide.Inference.embedded.manifest.json";

    /// <summary>Whether this build carries the embedded model.</summary>
    public static bool IsAvailable => typeof(EmbeddedModel).Assembly.GetManifestResourceInfo(ModelResource) is not null;

    /// <summary>Opens the embedded model (manifest checked, sha256 verified) as a segmenter.</summary>
    /// <exception cref="ModelContractException">The build carries no embedded model.</exception>
    public static OnnxSegmenter Open(InferenceOptions options, ILogger<OnnxSegmenter>? logger = null)
    {
        var model = Read(ModelResource);
        var manifest = ModelManifestLoader.Parse(Read(ManifestResource));
        return OnnxSegmenter.FromBytes(model, manifest, options, logger);
    }

    /// <summary>The embedded model's manifest (threshold and detection filter defaults, metrics, training command).</summary>
    /// <exception cref="ModelContractException">The build carries no embedded model.</exception>
    public static ModelManifest ReadManifest() => ModelManifestLoader.Parse(Read(ManifestResource));

    private static byte[] Read(string name)
    {
        using var stream = typeof(EmbeddedModel).Assembly.GetManifestResourceStream(name)
            ?? throw new ModelContractException(
                ModelContractError.ModelNotFound,
                "this build carries no embedded model (models/embedded/model.onnx was missing when it was built); pass --model PATH");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
