using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Landslide.Core.Segmentation;
using Landslide.Inference;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer.Models;

/// <summary>
/// Models in blob storage, in the registry layout the trainer publishes: container <c>models</c> holding
/// <c>current.json</c> and <c>{version}/model.onnx</c> + <c>{version}/manifest.json</c>. current.json is checked by
/// ETag (a HEAD per poll); a named version is downloaded into ModelsRoot/{version} through a temporary folder and its
/// sha256 checked against the manifest before it replaces anything, so a broken upload never reaches the cache.
/// </summary>
internal sealed partial class BlobModelSource : IModelSource
{
    private const string PartialSuffix = ".partial";

    private readonly BlobContainerClient _container;
    private readonly string _cacheRoot;
    private readonly ILogger<BlobModelSource> _logger;
    private ETag? _lastETag;
    private ModelPointer? _lastPointer;
    private ModelPointerException? _lastRefusal;

    public BlobModelSource(IOptions<InferenceServerOptions> options, ILogger<BlobModelSource> logger)
    {
        var o = options.Value;
        _logger = logger;
        _cacheRoot = Path.GetFullPath(o.ModelsRoot ?? throw new InvalidOperationException("InferenceServer:ModelsRoot is not set"));
        // Few, short retries: the next poll is the real retry, and a stuck poll would delay noticing a promotion.
        var clientOptions = new BlobClientOptions { Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(5) } };
        var service = string.IsNullOrWhiteSpace(o.Blob.ConnectionString)
            ? new BlobServiceClient(o.Blob.ServiceUri, new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.Blob.ClientId) ? null : o.Blob.ClientId }), clientOptions)
            : new BlobServiceClient(o.Blob.ConnectionString, clientOptions);
        _container = service.GetBlobContainerClient(o.Blob.Container);

        // Downloads cut short by a previous stop are never used: clear them.
        Directory.CreateDirectory(_cacheRoot);
        foreach (var partial in Directory.EnumerateDirectories(_cacheRoot, "*" + PartialSuffix))
        {
            Directory.Delete(partial, recursive: true);
        }
    }

    public async Task<ModelPointer?> ReadCurrentAsync(CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(LocalFolderModelSource.PointerFile);
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        if (_lastETag == properties.ETag)
        {
            return _lastRefusal is null ? _lastPointer : throw _lastRefusal;
        }

        var tag = properties.ETag.ToString();
        ModelPointer? pointer = null;
        ModelPointerException? refusal = null;
        if (properties.ContentLength > ModelPointer.MaxBytes)
        {
            refusal = new ModelPointerException(tag, $"current.json is {properties.ContentLength} bytes; a pointer is at most {ModelPointer.MaxBytes}");
        }
        else
        {
            // IfMatch: the content parsed is the content whose ETag is remembered (a concurrent promotion is a 412,
            // read again on the next poll).
            var content = await blob.DownloadContentAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } },
                cancellationToken).ConfigureAwait(false);
            try
            {
                pointer = ModelPointer.Parse(content.Value.Content.ToMemory().Span, tag);
            }
            catch (ModelPointerException ex)
            {
                refusal = ex;
            }
        }

        (_lastETag, _lastPointer, _lastRefusal) = (properties.ETag, pointer, refusal);
        return refusal is null ? pointer : throw refusal;
    }

    public async Task<string> FetchAsync(string version, CancellationToken cancellationToken)
    {
        // Parse already refuses such names; checked again because the version becomes a local folder name.
        if (!ModelPointer.IsPlainVersion(version))
        {
            throw new InvalidDataException($"model version '{version}' is not a plain folder name");
        }

        var folder = Path.Combine(_cacheRoot, version);
        var partial = Path.Combine(_cacheRoot, $"{version}.{Guid.NewGuid():N}{PartialSuffix}");
        Directory.CreateDirectory(partial);
        try
        {
            foreach (var name in new[] { ModelManifest.FileName, ModelManifest.ModelFileName })
            {
                var blob = _container.GetBlobClient($"{version}/{name}");
                try
                {
                    await blob.DownloadToAsync(Path.Combine(partial, name), cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    throw new FileNotFoundException($"{_container.Name}/{version}/{name} named by current.json does not exist", ex);
                }
            }

            // The same check the loader makes, done before the download replaces a cached copy.
            var manifest = ModelManifestLoader.Parse(await File.ReadAllBytesAsync(Path.Combine(partial, ModelManifest.FileName), cancellationToken).ConfigureAwait(false));
            ModelManifestLoader.VerifySha256(manifest, await File.ReadAllBytesAsync(Path.Combine(partial, ModelManifest.ModelFileName), cancellationToken).ConfigureAwait(false));

            if (Directory.Exists(folder))
            {
                // A cached copy (a restart, or the same version re-uploaded): the fresh download wins.
                Directory.Delete(folder, recursive: true);
            }

            Directory.Move(partial, folder);
            LogDownloaded(version, manifest.Sha256, folder);
            return folder;
        }
        finally
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Downloaded model {Version} (sha256 {Sha256}) into {Folder}")]
    private partial void LogDownloaded(string version, string sha256, string folder);
}
