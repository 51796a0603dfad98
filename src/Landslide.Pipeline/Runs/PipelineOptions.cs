using System.ComponentModel.DataAnnotations;
using Landslide.Pipeline.Triggers;

namespace Landslide.Pipeline.Runs;

/// <summary>Settings of the cloud stages (section "Pipeline"; app settings Pipeline__*). Validated at host start.</summary>
public sealed class PipelineOptions : IValidatableObject
{
    public const string SectionName = "Pipeline";

    /// <summary>Chunk height in pixels: a chunk is a band of whole tile rows about this tall, the full scene wide. Default 2048.</summary>
    [Range(128, 65_536)]
    public int ChunkSize { get; set; } = Mapping.RunDefaults.ChunkHeight;

    /// <summary>Pixels shared by neighbouring tiles. Default 32.</summary>
    [Range(0, 64)]
    public int Overlap { get; set; } = Mapping.RunDefaults.Overlap;

    /// <summary>Mask threshold; null takes the model's threshold.</summary>
    [Range(0.0, 1.0)]
    public double? Threshold { get; set; }

    /// <summary>Smallest polygon kept in landslides.geojson, m²; unset = the model manifest's min_area_m2, else 800 (Mapping.DetectionFilter).</summary>
    [Range(0.0, double.MaxValue)]
    public double? MinAreaM2 { get; set; }

    /// <summary>Lowest mean probability of a kept polygon; unset = the manifest's min_mean_probability, else 0.75 (Mapping.DetectionFilter).</summary>
    [Range(0.0, 1.0)]
    public double? MinMeanProbability { get; set; }

    /// <summary>How often a working chunk or finalize rewrites its heartbeat blob (work/{run}/{part}.heartbeat). Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A part whose heartbeat has not moved for this long is stalled: status shows it and the stall sweeper re-queues
    /// it. Must exceed HeartbeatInterval with room for a slow write. Default 60 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Tiles per segmenter call; default Mapping.RunDefaults.BatchSize, as `map`.</summary>
    [Range(1, 1024)]
    public int BatchSize { get; set; } = Mapping.RunDefaults.BatchSize;

    /// <summary>Band profile of the scenes dropped in scenes/: l4s or s2-l2a-dn. Default l4s.</summary>
    [MinLength(1)]
    public string BandProfile { get; set; } = Mapping.RunDefaults.BandProfile;

    /// <summary>Longest side of quicklook.png. Default 1024.</summary>
    [Range(64, 8192)]
    public int QuicklookSize { get; set; } = Mapping.RunDefaults.QuicklookSize;

    /// <summary>
    /// Deliveries after which the host moves a message to its poison queue; on the last one a failing handler records
    /// the error on the run. Not an app setting: it is host.json's queues.maxDequeueCount (HostJson), which the host
    /// itself obeys; tests lower it.
    /// </summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; internal set; } = HostJson.Queues.MaxDequeueCount;

    /// <summary>Read scenes with GDAL range requests over a SAS URL when possible (else a streamed download to a temp file). Default true.</summary>
    public bool RangeReads { get; set; } = true;

    /// <summary>Folder for temporary rasters; null = the system temp folder.</summary>
    public string? TempDirectory { get; set; }

    /// <summary>Tile rows per chunk for this grid stride.</summary>
    public int TileRowsPerChunk(int stride) => Math.Max(1, ChunkSize / stride);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StallAfter <= HeartbeatInterval)
        {
            yield return new ValidationResult(
                $"Pipeline:StallAfter {StallAfter} must be longer than Pipeline:HeartbeatInterval {HeartbeatInterval}", [nameof(StallAfter)]);
        }

        if (!Core.Scenes.BandProfile.Names.Contains(BandProfile))
        {
            yield return new ValidationResult(
                $"Pipeline:BandProfile '{BandProfile}' is not one of: {string.Join(", ", Core.Scenes.BandProfile.Names)}", [nameof(BandProfile)]);
        }
    }
}
