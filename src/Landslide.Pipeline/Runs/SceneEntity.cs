using Azure;
using Azure.Data.Tables;

namespace Landslide.Pipeline.Runs;

/// <summary>Table "runs", partition "scene": the latest run of each scene name (what GET /api/runs/{scene} answers).</summary>
public sealed class SceneEntity : ITableEntity
{
    public const string PartitionKeyValue = "scene";

    public string PartitionKey { get; set; } = PartitionKeyValue;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string LatestRunId { get; set; } = string.Empty;

    public string BlobETag { get; set; } = string.Empty;
}
