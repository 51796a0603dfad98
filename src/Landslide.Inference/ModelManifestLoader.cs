using System.Security.Cryptography;
using System.Text.Json;
using Landslide.Core.Segmentation;

namespace Landslide.Inference;

/// <summary>
/// Reads models/{version}/manifest.json, checks it against the tensor contract, and checks the SHA-256 of
/// model.onnx. Every refusal is a <see cref="ModelContractException"/> whose code says what is wrong.
/// </summary>
public static class ModelManifestLoader
{
    /// <summary>Reads and checks the manifest of a version folder and the SHA-256 of its model.onnx.</summary>
    public static ModelManifest Load(string versionFolder) => LoadPackage(versionFolder, out _);

    /// <summary>Parses and checks manifest JSON (UTF-8).</summary>
    public static ModelManifest Parse(ReadOnlySpan<byte> utf8Json)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(utf8Json);
        }
        catch (JsonException ex)
        {
            throw new ModelContractException(ModelContractError.InvalidManifest, $"manifest is not valid: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new ModelContractException(ModelContractError.InvalidManifest, "manifest is empty (JSON null)");
        }

        Validate(manifest);
        return manifest;
    }

    /// <summary>Checks the fields a consumer relies on; throws with the first field that does not fit.</summary>
    public static void Validate(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (string.IsNullOrWhiteSpace(manifest.Version))
        {
            throw Invalid("version is empty");
        }

        if (manifest.Sha256 is not { Length: 64 } || !manifest.Sha256.All(char.IsAsciiHexDigit))
        {
            throw Invalid($"sha256 must be 64 hex digits, found '{manifest.Sha256}'");
        }

        if (manifest.FeatureVersion != ModelContract.FeatureVersion)
        {
            throw new ModelContractException(
                ModelContractError.FeatureVersionMismatch,
                $"model {manifest.Version} was trained on features '{manifest.FeatureVersion}', this code computes '{ModelContract.FeatureVersion}'");
        }

        if (!double.IsFinite(manifest.Threshold) || manifest.Threshold <= 0 || manifest.Threshold >= 1)
        {
            throw Invalid($"threshold must lie strictly between 0 and 1, found {manifest.Threshold}");
        }

        CheckSpec(manifest.Input, ModelManifest.ContractInput, "input");
        CheckSpec(manifest.Output, ModelManifest.ContractOutput, "output");
    }

    /// <summary>Lower-case hex SHA-256 of the model bytes, as the manifest records it.</summary>
    public static string ComputeSha256(ReadOnlySpan<byte> model) => Convert.ToHexStringLower(SHA256.HashData(model));

    /// <summary>Refuses model bytes whose SHA-256 differs from the manifest's.</summary>
    public static void VerifySha256(ModelManifest manifest, ReadOnlySpan<byte> model)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var actual = ComputeSha256(model);
        if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelContractException(
                ModelContractError.Sha256Mismatch,
                $"model {manifest.Version}: SHA-256 of model.onnx is {actual}, the manifest says {manifest.Sha256}");
        }
    }

    /// <summary>Reads the manifest and the model bytes once, so the bytes checked are the bytes loaded.</summary>
    internal static ModelManifest LoadPackage(string versionFolder, out byte[] model)
    {
        ArgumentException.ThrowIfNullOrEmpty(versionFolder);
        var manifestPath = Path.Combine(versionFolder, ModelManifest.FileName);
        var modelPath = Path.Combine(versionFolder, ModelManifest.ModelFileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelContractException(ModelContractError.InvalidManifest, $"no {ModelManifest.FileName} in {versionFolder}");
        }

        if (!File.Exists(modelPath))
        {
            throw new ModelContractException(ModelContractError.ModelNotFound, $"no {ModelManifest.ModelFileName} in {versionFolder}");
        }

        var manifest = Parse(File.ReadAllBytes(manifestPath));
        model = File.ReadAllBytes(modelPath);
        VerifySha256(manifest, model);
        return manifest;
    }

    private static void CheckSpec(ModelTensorSpec? actual, ModelTensorSpec expected, string field)
    {
        if (actual is null)
        {
            throw Invalid($"{field} is missing");
        }

        if (actual.Name != expected.Name)
        {
            throw Invalid($"{field}.name must be '{expected.Name}', found '{actual.Name}'");
        }

        var shape = actual.Shape ?? [];
        var fits = shape.Count == expected.Shape.Count
            && (shape[0] == -1 || shape[0] > 0)
            && shape.Skip(1).SequenceEqual(expected.Shape.Skip(1));
        if (!fits)
        {
            throw Invalid($"{field}.shape must be [N, {string.Join(", ", expected.Shape.Skip(1))}], found [{string.Join(", ", shape)}]");
        }
    }

    private static ModelContractException Invalid(string what) => new(ModelContractError.InvalidManifest, $"manifest: {what}");
}
