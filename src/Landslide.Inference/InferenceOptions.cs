using System.ComponentModel.DataAnnotations;

namespace Landslide.Inference;

/// <summary>
/// Settings of the local ONNX Runtime segmenter. Hosts bind them from configuration ("Inference") and call
/// ValidateDataAnnotations; <see cref="OnnxSegmenter"/> validates them again when it opens a model.
/// </summary>
public sealed class InferenceOptions
{
    /// <summary>
    /// A model version folder (models/{version}/ holding manifest.json and model.onnx; the SHA-256 is checked),
    /// or a bare .onnx file (no manifest: version from the file name, threshold 0.5). Needed by <see cref="OnnxSegmenter.Open"/>.
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>Most tiles per ONNX Runtime call; larger requests are split. Default 8.</summary>
    [Range(1, 1024)]
    public int BatchSize { get; init; } = 8;

    /// <summary>Threads of one operator; 0 lets ONNX Runtime pick (one per physical core). Default 0.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Threads that run independent graph branches in parallel (ONNX Runtime's inter-op pool, parallel execution mode);
    /// 0 = sequential execution, one operator at a time (the default: measured no faster on CPU, see docs/BENCHMARKS.md).
    /// </summary>
    [Range(0, 256)]
    public int InterOpThreads { get; init; }

    /// <summary>
    /// Let idle intra-op threads spin for the next operator (ONNX Runtime's default). Spinning wastes the cores the
    /// other stages of a pipelined mapper need while the model waits; default false (measured, docs/BENCHMARKS.md).
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>
    /// Keep ONNX Runtime's CPU memory arena (ONNX Runtime's default). Default true: without it the embedded model used
    /// 40-65 MB less but ran about 40 % slower (docs/BENCHMARKS.md).
    /// </summary>
    public bool CpuMemoryArena { get; init; } = true;

    /// <summary>
    /// Try the CUDA execution provider first and fall back to CPU when it cannot be appended (the CPU
    /// package used here has no CUDA; the GPU container references Microsoft.ML.OnnxRuntime.Gpu.Linux). Default false.
    /// </summary>
    public bool PreferCuda { get; init; }

    /// <summary>CUDA device ordinal used when <see cref="PreferCuda"/> is set.</summary>
    [Range(0, 63)]
    public int CudaDeviceId { get; init; }

    /// <summary>ONNX Runtime graph optimisation level. Default: all optimisations.</summary>
    public GraphOptimization Optimization { get; init; } = GraphOptimization.All;
}
