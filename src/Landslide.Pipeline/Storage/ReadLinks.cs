using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace Landslide.Pipeline.Storage;

/// <summary>
/// Read-only SAS URLs for single blobs: signed with the account key when the client has one (Azurite, connection
/// strings), else with a user delegation key (Entra ID; needs the Storage Blob Delegator role), else null.
/// </summary>
public static class ReadLinks
{
    /// <summary>Lifetime of the links `serve status` and GET /api/runs/{scene} show: short, they are asked for again.</summary>
    public static readonly TimeSpan StatusLifetime = TimeSpan.FromHours(1);

    /// <summary>Lifetime of the links in an alert: a receiver may act on it later; 7 days is the user delegation maximum.</summary>
    public static readonly TimeSpan AlertLifetime = TimeSpan.FromDays(7);

    /// <summary>A read-only SAS URL of <paramref name="blob"/>, or null when this client cannot sign one.</summary>
    public static async Task<Uri?> TrySasAsync(BlobClient blob, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var builder = new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow + lifetime)
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
        catch (RequestFailedException)
        {
            return null;
        }
    }

    /// <summary>A read-only SAS URL when one can be signed, else the plain URL (which works where the reader has access).</summary>
    public static async Task<string> ForReadingAsync(BlobClient blob, TimeSpan lifetime, CancellationToken cancellationToken) =>
        (await TrySasAsync(blob, lifetime, cancellationToken).ConfigureAwait(false) ?? blob.Uri).AbsoluteUri;
}
