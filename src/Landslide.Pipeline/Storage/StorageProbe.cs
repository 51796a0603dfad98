using Azure;
using Azure.Storage.Blobs;

namespace Landslide.Pipeline.Storage;

/// <summary>
/// One quick request to the blob endpoint, without the SDK's retries (six tries, about 26 s): an unreachable account
/// or Azurite fails in seconds with one line that says what to do.
/// </summary>
public static class StorageProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <exception cref="StorageUnreachableException">Nothing answers, or it refuses the credentials.</exception>
    public static async Task ThrowIfUnreachableAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = Timeout;
        BlobServiceClient client;
        try
        {
            client = new BlobServiceClient(connectionString, options);
        }
        catch (FormatException e)
        {
            throw new StorageUnreachableException($"the storage connection string is not valid ({SecretRedactor.Redact(e.Message)})", null);
        }

        var endpoint = client.Uri.GetLeftPart(UriPartial.Authority);
        var local = client.Uri.IsLoopback;
        var hint = local
            ? "start Azurite (`./landslide serve --start-azurite`, or `npx azurite` in the checkout) or pass --storage \"<connection string>\""
            : "check --storage (or LANDSLIDE_Serve__Storage) and the network";
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await client.GetBlobContainerClient(StorageNames.ScenesContainer).ExistsAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 401 or 403)
        {
            throw new StorageUnreachableException($"storage at {endpoint} refused the credentials (HTTP {e.Status} {e.ErrorCode}); check the account key or SAS", null);
        }
        catch (Exception e) when (e is RequestFailedException { Status: 0 } or AggregateException or HttpRequestException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new StorageUnreachableException($"storage at {endpoint} is unreachable: {hint}", null);
        }
    }
}
