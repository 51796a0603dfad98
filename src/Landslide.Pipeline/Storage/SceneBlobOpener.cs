using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Landslide.Core.Scenes;
using Landslide.Pipeline.Stages;
using Landslide.Raster.Scenes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Storage;

/// <summary>
/// Opens a scene blob with GDAL without holding it in memory: range reads through /vsicurl/ and a short-lived
/// read-only SAS (account key, or a user delegation key under Entra ID), else a streamed download to a temp file.
/// </summary>
public sealed partial class SceneBlobOpener(IOptions<PipelineOptions> options, ILogger<SceneBlobOpener> logger)
{
    private static readonly TimeSpan SasLifetime = TimeSpan.FromHours(2);

    /// <summary>Opens <paramref name="blob"/>; the result deletes its temp file (if any) on dispose.</summary>
    /// <exception cref="SceneRejectedException">The blob is not a raster GDAL can read.</exception>
    public async Task<OpenedScene> OpenAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (options.Value.RangeReads && await SasUriAsync(blob, cancellationToken).ConfigureAwait(false) is { } sas)
        {
            try
            {
                return new OpenedScene(RasterScene.Open("/vsicurl/" + sas.AbsoluteUri), null);
            }
            catch (SceneRejectedException e)
            {
                // Either the blob is not a raster or the HTTP reads failed: the local copy below tells which.
                LogRangeReadsFailed(blob.Name, e.Message);
            }
        }

        var folder = options.Value.TempDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"landslide-scene-{Guid.NewGuid():N}{Path.GetExtension(blob.Name)}");
        try
        {
            await blob.DownloadToAsync(path, cancellationToken).ConfigureAwait(false);
            return new OpenedScene(RasterScene.Open(path), path);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private async Task<Uri?> SasUriAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var builder = new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow + SasLifetime)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = DateTimeOffset.UtcNow.AddMinutes(-5),
        };
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(builder);
        }

        try
        {
            var service = blob.GetParentBlobContainerClient().GetParentBlobServiceClient();
            UserDelegationKey key = await service.GetUserDelegationKeyAsync(DateTimeOffset.UtcNow.AddMinutes(-5), builder.ExpiresOn, cancellationToken)
                .ConfigureAwait(false);
            return new BlobUriBuilder(blob.Uri) { Sas = builder.ToSasQueryParameters(key, service.AccountName) }.ToUri();
        }
        catch (RequestFailedException e)
        {
            LogNoSas(blob.Name, e.Status);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Range reads of {Blob} failed ({Error}); downloading it to a temp file")]
    private partial void LogRangeReadsFailed(string blob, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "No SAS for {Blob} (status {Status}); downloading it to a temp file")]
    private partial void LogNoSas(string blob, int status);
}
