using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer.Models;

/// <summary>Models in a local folder (a mounted volume, or the laptop): {root}/current.json and {root}/{version}/.</summary>
internal sealed class LocalFolderModelSource(IOptions<InferenceServerOptions> options) : IModelSource
{
    public const string PointerFile = "current.json";

    private readonly string _root = Path.GetFullPath(options.Value.ModelsRoot ?? throw new InvalidOperationException("InferenceServer:ModelsRoot is not set"));

    public async Task<ModelPointer?> ReadCurrentAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_root, PointerFile);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var tag = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var json = JsonDocument.Parse(bytes);
        if (!json.RootElement.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(version.GetString()))
        {
            throw new InvalidDataException($"{path} must be a JSON object with a non-empty string \"version\"");
        }

        return new ModelPointer(version.GetString()!, tag);
    }

    public Task<string> FetchAsync(string version, CancellationToken cancellationToken)
    {
        // The version names a direct sub-folder; anything that could climb out of the root is refused.
        if (version.IndexOfAny(['/', '\\']) >= 0 || version is "." or ".." || version.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new InvalidDataException($"model version '{version}' is not a plain folder name");
        }

        var folder = Path.Combine(_root, version);
        return Directory.Exists(folder)
            ? Task.FromResult(folder)
            : throw new DirectoryNotFoundException($"model folder {folder} named by current.json does not exist");
    }
}
