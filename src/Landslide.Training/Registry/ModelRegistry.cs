using System.Security.Cryptography;
using System.Text.Json;
using Landslide.Core.Segmentation;

namespace Landslide.Training.Registry;

/// <summary>
/// A folder of models in the layout every consumer reads: <c>{root}/{version}/model.onnx</c> +
/// <c>manifest.json</c>, and <c>{root}/current.json</c> = <c>{"version": "..."}</c> naming the promoted one.
/// </summary>
public sealed class ModelRegistry
{
    public const string PointerFile = "current.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public ModelRegistry(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
    }

    public string Root { get; }

    /// <summary>The promoted model's manifest, or null when nothing is promoted yet.</summary>
    public ModelManifest? Current()
    {
        var pointer = Path.Combine(Root, PointerFile);
        if (!File.Exists(pointer))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(pointer));
        var version = document.RootElement.GetProperty("version").GetString();
        return string.IsNullOrEmpty(version) ? null : Read(Path.Combine(Root, version));
    }

    /// <summary>Reads the manifest in a model folder.</summary>
    public static ModelManifest Read(string modelFolder)
    {
        var path = Path.Combine(modelFolder, ModelManifest.FileName);
        return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllBytes(path))
            ?? throw new InvalidDataException($"{path} is empty");
    }

    /// <summary>
    /// Writes <paramref name="onnx"/> and its manifest (sha256 filled in) into a folder, without touching current.json.
    /// </summary>
    public static ModelManifest WriteModel(string modelFolder, byte[] onnx, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(manifest);
        Directory.CreateDirectory(modelFolder);
        var complete = manifest with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)) };
        File.WriteAllBytes(Path.Combine(modelFolder, ModelManifest.ModelFileName), onnx);
        File.WriteAllText(Path.Combine(modelFolder, ModelManifest.FileName), JsonSerializer.Serialize(complete, Json) + "\n");
        return complete;
    }

    /// <summary>
    /// Publishes a model as <c>{root}/{version}/</c>, runs the promotion gate against the current model using the
    /// holdout landslide F1 in <paramref name="manifest"/>, records the decision in the manifest, and moves
    /// current.json only when promoted.
    /// </summary>
    public ModelManifest Publish(byte[] onnx, ModelManifest manifest, double tolerance, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var candidateF1 = manifest.Metrics?.F1
            ?? throw new InvalidOperationException("a model needs its holdout F1 (metrics.f1) before the promotion gate can judge it");
        var current = Current();
        if (current is not null && string.Equals(current.Version, manifest.Version, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"version {manifest.Version} is already the current model");
        }

        var decision = PromotionGate.Decide(candidateF1, current, tolerance, now);
        var written = WriteModel(Path.Combine(Root, manifest.Version), onnx, manifest with { Promotion = decision });
        if (decision.Promoted)
        {
            var pointer = Path.Combine(Root, PointerFile);
            File.WriteAllText(pointer + ".tmp", JsonSerializer.Serialize(new { version = manifest.Version }) + "\n");
            File.Move(pointer + ".tmp", pointer, overwrite: true);
        }

        return written;
    }
}
