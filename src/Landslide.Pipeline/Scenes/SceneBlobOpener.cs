using Azure.Storage.Blobs;
using Landslide.Core.Scenes;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Storage;
using Landslide.Raster;
using Landslide.Raster.Scenes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Scenes;

/// <summary>
/// Opens a scene blob with GDAL without holding it in memory: range reads through /vsicurl/ and a short-lived
/// read-only SAS (account key, or a user delegation key under Entra ID), else a streamed download to a temp file.
/// Every message names the blob as {container}/{name}, never the SAS URL or the temp file.
/// </summary>
public sealed partial class SceneBlobOpener(IOptions<PipelineOptions> options, ILogger<SceneBlobOpener> logger)
{
    private static readonly TimeSpan SasLifetime = TimeSpan.FromHours(2);

    /// <summary>Opens <paramref name="blob"/>; the result deletes its temp file (if any) on dispose.</summary>
    /// <exception cref="SceneRejectedException">The blob is not a raster GDAL can read.</exception>
    public async Task<OpenedScene> OpenAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var name = DisplayName(blob);
        if (options.Value.RangeReads && await ReadLinks.TrySasAsync(blob, SasLifetime, cancellationToken).ConfigureAwait(false) is { } sas)
        {
            try
            {
                return new OpenedScene(RasterScene.Open("/vsicurl/" + sas.AbsoluteUri, name), null);
            }
            catch (SceneRejectedException e)
            {
                // Either the blob is not a raster or the HTTP reads failed: the local copy below tells which.
                LogRangeReadsFailed(blob.Name, SecretRedactor.Redact(e.Message));
            }
        }
        else if (options.Value.RangeReads)
        {
            LogNoSas(blob.Name);
        }

        return await DownloadAsync(blob, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True when a local copy of the blob fails to read too: a read error over HTTP may be the network, the same error
    /// on a downloaded copy is the file (pixel data cut short or damaged).
    /// </summary>
    public async Task<bool> IsUnreadableAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        try
        {
            using var local = await DownloadAsync(blob, cancellationToken).ConfigureAwait(false);
            var info = local.Scene.Info;
            var rows = Math.Max(1, 1_048_576 / Math.Max(1, info.Width * info.BandCount));
            var buffer = new float[rows * info.Width * info.BandCount];
            for (var y = 0; y < info.Height; y += rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                local.Scene.ReadWindow(0, y, info.Width, Math.Min(rows, info.Height - y), buffer);
            }

            return false;
        }
        catch (Exception e) when (e is GdalException or SceneRejectedException)
        {
            return true;
        }
    }

    /// <summary>The name messages and error.json use for a blob.</summary>
    public static string DisplayName(BlobClient blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return $"{blob.BlobContainerName}/{blob.Name}";
    }

    private async Task<OpenedScene> DownloadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var folder = options.Value.TempDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"landslide-scene-{Guid.NewGuid():N}{Path.GetExtension(blob.Name)}");
        try
        {
            await blob.DownloadToAsync(path, cancellationToken).ConfigureAwait(false);
            return new OpenedScene(RasterScene.Open(path, DisplayName(blob)), path);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Range reads of {Blob} failed ({Error}); downloading it to a temp file")]
    private partial void LogRangeReadsFailed(string blob, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "No SAS for {Blob}; downloading it to a temp file")]
    private partial void LogNoSas(string blob);
}
