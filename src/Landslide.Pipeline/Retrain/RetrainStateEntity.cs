using Azure;
using Azure.Data.Tables;

namespace Landslide.Pipeline.Retrain;

/// <summary>Table "runs", partition "retrain": the data fingerprint the last retrain was started for.</summary>
public sealed class RetrainStateEntity : ITableEntity
{
    public const string PartitionKeyValue = "retrain";
    public const string RowKeyValue = "state";

    public string PartitionKey { get; set; } = PartitionKeyValue;

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string LastFingerprint { get; set; } = string.Empty;

    public string? LastJobId { get; set; }

    public DateTimeOffset? StartedAt { get; set; }
}
