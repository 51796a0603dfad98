using Azure;
using Azure.Data.Tables;

namespace Landslide.Pipeline.Runs;

/// <summary>
/// One run in table "runs" (partition = run id, row = "run"): what is being mapped with which model, how it was
/// chunked, which chunks are done, and where it stands. Updated only with ETag-guarded replaces.
/// </summary>
public sealed class RunEntity : ITableEntity
{
    public const string RowKeyValue = "run";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string RunId => PartitionKey;

    public string Scene { get; set; } = string.Empty;

    public string BlobName { get; set; } = string.Empty;

    /// <summary>Version of the scene blob the run maps (<see cref="SceneVersions.Of"/>: content MD5, else ETag).</summary>
    public string BlobETag { get; set; } = string.Empty;

    public string ModelVersion { get; set; } = string.Empty;

    public string ModelSha256 { get; set; } = string.Empty;

    public double ModelThreshold { get; set; }

    public string FeatureVersion { get; set; } = string.Empty;

    public int? ModelWidth { get; set; }

    /// <summary>Band profile the run maps with: the scene blob's "profile" metadata, else Pipeline:BandProfile.</summary>
    public string BandProfile { get; set; } = string.Empty;

    /// <summary>Detection filter the run applies (resolved once at planning: setting, else manifest, else built-in).</summary>
    public double MinAreaM2 { get; set; }

    public double MinMeanProbability { get; set; }

    /// <summary>One of <see cref="RunStatus"/>.</summary>
    public string Status { get; set; } = RunStatus.Planning;

    /// <summary>Why the run failed or was rejected (code: message).</summary>
    public string? Reason { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public int Overlap { get; set; }

    public int TileRows { get; set; }

    public int ChunkCount { get; set; }

    /// <summary>One character per chunk: '1' done, '0' not yet. Table properties cannot be sets; a string can.</summary>
    public string ChunksDone { get; set; } = string.Empty;

    /// <summary>Seconds per stage summed over the chunks (JSON object).</summary>
    public string TimingsJson { get; set; } = "{}";

    public long Tiles { get; set; }

    public int Polygons { get; set; }

    public double LandslideAreaM2 { get; set; }

    /// <summary>Webhook slots the alert reached, comma-separated ("0,2").</summary>
    public string AlertsDelivered { get; set; } = string.Empty;

    /// <summary>Webhook slots whose alert went to the dead-letter queue.</summary>
    public string AlertsDeadLettered { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int ChunksCompleted => ChunksDone.Count(c => c == '1');

    public bool AllChunksDone => ChunkCount > 0 && ChunksCompleted == ChunkCount;

    public static bool Contains(string list, int slot) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries).Contains(slot.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string Add(string list, int slot) =>
        Contains(list, slot) ? list : list.Length == 0 ? slot.ToString(System.Globalization.CultureInfo.InvariantCulture) : FormattableString.Invariant($"{list},{slot}");
}
