using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Landslide.Pipeline.Storage;

/// <summary>
/// The storage account the pipeline works in: blob containers, queues and the runs table. Hosts build it from a
/// connection string (Azurite, local) or from service URIs and a token credential (Azure, managed identity).
/// Queue messages are base64, the encoding the Functions host and the WebJobs SDK expect by default.
/// </summary>
public sealed class PipelineStorage(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables)
{
    public BlobServiceClient Blobs { get; } = blobs;

    public QueueServiceClient Queues { get; } = queues;

    public TableServiceClient Tables { get; } = tables;

    public static PipelineStorage FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new PipelineStorage(
            new BlobServiceClient(connectionString),
            new QueueServiceClient(connectionString, QueueOptions()),
            new TableServiceClient(connectionString));
    }

    public static PipelineStorage FromServiceUris(Uri blobUri, Uri queueUri, Uri tableUri, Azure.Core.TokenCredential credential) =>
        new(new BlobServiceClient(blobUri, credential), new QueueServiceClient(queueUri, credential, QueueOptions()), new TableServiceClient(tableUri, credential));

    public static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    public TableClient Runs => Tables.GetTableClient(StorageNames.RunsTable);

    /// <summary>Creates every container, queue and the table when missing (idempotent; the Bicep creates them in Azure).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var container in StorageNames.Containers)
        {
            await Container(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in StorageNames.Queues)
        {
            await Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await Runs.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }
}
