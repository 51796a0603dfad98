using System.Security.Cryptography;
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

        // A huge file is refused without reading it: its size and time stand in for the content tag.
        var info = new FileInfo(path);
        if (info.Length > ModelPointer.MaxBytes)
        {
            throw new ModelPointerException($"{info.Length}@{info.LastWriteTimeUtc.Ticks}", $"{path} is {info.Length} bytes; a pointer is at most {ModelPointer.MaxBytes}");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return ModelPointer.Parse(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    public Task<string> FetchAsync(string version, CancellationToken cancellationToken)
    {
        // The version names a direct sub-folder; anything that could climb out of the root is refused.
        if (!ModelPointer.IsPlainVersion(version))
        {
            throw new InvalidDataException($"model version '{version}' is not a plain folder name");
        }

        var folder = Path.Combine(_root, version);
        return Directory.Exists(folder)
            ? Task.FromResult(folder)
            : throw new DirectoryNotFoundException($"model folder {folder} named by current.json does not exist");
    }
}
