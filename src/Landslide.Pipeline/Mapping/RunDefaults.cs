namespace Landslide.Pipeline.Mapping;

/// <summary>
/// The defaults of a mapping run, one set for `landslide map` (MapOptions and its command-line options) and the cloud
/// stages (Runs.PipelineOptions, `landslide serve`, the Functions app), so the same scene maps the same way on both.
/// The threshold defaults to the model's, and the detection filters to the manifest's or <see cref="DetectionFilter"/>'s.
/// </summary>
public static class RunDefaults
{
    /// <summary>Pixels shared by neighbouring tiles.</summary>
    public const int Overlap = 32;

    /// <summary>
    /// Tiles per segmenter call: on the CPU provider larger batches are no faster and ONNX Runtime's memory arena grows
    /// with the batch (embedded model: ~270 MB at 4, ~735 MB at 16; docs/BENCHMARKS.md).
    /// </summary>
    public const int BatchSize = 4;

    /// <summary>Band profile of input scenes.</summary>
    public const string BandProfile = "l4s";

    /// <summary>Longest side of quicklook.png in pixels.</summary>
    public const int QuicklookSize = 1024;

    /// <summary>Height of a cloud chunk in pixels (whole tile rows, the full scene wide); `map` streams the scene in one pass.</summary>
    public const int ChunkHeight = 2048;
}
