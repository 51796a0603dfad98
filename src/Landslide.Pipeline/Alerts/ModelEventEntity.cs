using Azure;
using Azure.Data.Tables;

namespace Landslide.Pipeline.Alerts;

/// <summary>Table "runs", partition "model-events", row = model version: which webhook slots its event reached.</summary>
public sealed class ModelEventEntity : ITableEntity
{
    public const string PartitionKeyValue = "model-events";

    public string PartitionKey { get; set; } = PartitionKeyValue;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Type { get; set; } = string.Empty;

    /// <summary>Webhook slots the event reached, comma-separated.</summary>
    public string Delivered { get; set; } = string.Empty;

    /// <summary>Webhook slots whose event went to the dead-letter queue.</summary>
    public string DeadLettered { get; set; } = string.Empty;
}
