using System.ComponentModel.DataAnnotations;
using System.Runtime.InteropServices;
using Landslide.Core.Segmentation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Landslide.Inference;

/// <summary>
/// The local segmenter: one long-lived ONNX Runtime session per model, tiles run in batches of at most
/// <see cref="BatchSize"/>. Inputs and outputs are wrapped in place (no copy, no per-batch array): the caller's
/// feature memory is the input tensor and the caller's probability memory is the output tensor.
/// <para>
/// Thread safety: every member is safe to call from several threads. <see cref="SegmentAsync"/> calls run one at a
/// time (a SemaphoreSlim around the session) because ONNX Runtime already spreads one batch over all intra-op
/// threads; callers wanting throughput send bigger requests rather than parallel ones. The batches run synchronously
/// on the calling thread once the gate is entered.
/// </para>
/// </summary>
public sealed partial class OnnxSegmenter : ITileSegmenter, IDisposable
{
    public const string CpuProvider = "CPUExecutionProvider";
    public const string CudaProvider = "CUDAExecutionProvider";

    private static readonly string[] InputNames = [ModelContract.InputName];
    private static readonly string[] OutputNames = [ModelContract.OutputName];

    private readonly InferenceSession _session;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger;
    private readonly int? _fixedBatch;

    // Only for models with a fixed batch dimension: a short last batch is padded through these (allocated once, pinned).
    private float[]? _paddedInput;
    private float[]? _paddedOutput;
    private bool _disposed;

    private OnnxSegmenter(InferenceSession session, ModelDescriptor model, string provider, int? fixedBatch, int batchSize, ILogger logger)
    {
        _session = session;
        _fixedBatch = fixedBatch;
        _logger = logger;
        Model = model;
        ExecutionProvider = provider;
        BatchSize = batchSize;
    }

    /// <inheritdoc />
    public ModelDescriptor Model { get; }

    /// <summary>
    /// The provider the session was created with: <see cref="CudaProvider"/> or <see cref="CpuProvider"/>. With the
    /// CPU package referenced here CUDA can never be appended, so this reads CPU even when CUDA was preferred.
    /// </summary>
    public string ExecutionProvider { get; }

    /// <summary>Tiles per ONNX Runtime call: the configured batch size, or the model's fixed batch dimension.</summary>
    public int BatchSize { get; }

    /// <summary>Test hook: called after each batch with the number of tiles done so far in the current call.</summary>
    internal Action<int>? BatchCompleted { get; set; }

    /// <summary>
    /// Opens <see cref="InferenceOptions.ModelPath"/>: a models/{version}/ folder (manifest checked, SHA-256 verified),
    /// that folder's model.onnx named directly (read as its folder, so its threshold and detection filters apply), or a
    /// bare .onnx file (descriptor from the file: version = file name, threshold 0.5).
    /// </summary>
    public static OnnxSegmenter Open(InferenceOptions options, ILogger<OnnxSegmenter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var path = options.ModelPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ModelContractException(ModelContractError.ModelNotFound, "InferenceOptions.ModelPath is not set");
        }

        // A package's model.onnx is the package: a user pointing at the file still gets the manifest's threshold and filters.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (File.Exists(path) && string.Equals(Path.GetFileName(path), ModelManifest.ModelFileName, StringComparison.Ordinal)
            && folder is not null && File.Exists(Path.Combine(folder, ModelManifest.FileName)))
        {
            path = folder;
        }

        if (Directory.Exists(path))
        {
            var manifest = ModelManifestLoader.LoadPackage(path, out var bytes);
            return Create(bytes, manifest.ToDescriptor(), options, logger);
        }

        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            return Create(bytes, BareDescriptor(Path.GetFileNameWithoutExtension(path), bytes), options, logger);
        }

        throw new ModelContractException(ModelContractError.ModelNotFound, $"model not found: {path}");
    }

    /// <summary>
    /// Opens a model held in memory (e.g. embedded in the CLI). With a manifest, the manifest is checked and the
    /// SHA-256 of <paramref name="model"/> must match it; without, the descriptor is "embedded", threshold 0.5.
    /// <see cref="InferenceOptions.ModelPath"/> is ignored.
    /// </summary>
    public static OnnxSegmenter FromBytes(byte[] model, ModelManifest? manifest, InferenceOptions options, ILogger<OnnxSegmenter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        ModelDescriptor descriptor;
        if (manifest is not null)
        {
            ModelManifestLoader.Validate(manifest);
            ModelManifestLoader.VerifySha256(manifest, model);
            descriptor = manifest.ToDescriptor();
        }
        else
        {
            descriptor = BareDescriptor("embedded", model);
        }

        return Create(model, descriptor, options, logger);
    }

    /// <inheritdoc />
    public async ValueTask SegmentAsync(ReadOnlyMemory<float> features, Memory<float> probabilities, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (features.Length < (long)count * ModelContract.FeatureValuesPerTile)
        {
            throw new ArgumentException(
                $"features holds {features.Length} values, {count} tiles need {(long)count * ModelContract.FeatureValuesPerTile} (count x 23 x 128 x 128)",
                nameof(features));
        }

        if (probabilities.Length < (long)count * ModelContract.PixelsPerTile)
        {
            throw new ArgumentException(
                $"probabilities holds {probabilities.Length} values, {count} tiles need {(long)count * ModelContract.PixelsPerTile} (count x 128 x 128)",
                nameof(probabilities));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            RunBatches(MemoryMarshal.AsMemory(features), probabilities, count, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        // Wait for a running call so the session is never freed under it.
        _gate.Wait();
        _disposed = true;
        _session.Dispose();
        _gate.Release();
        _gate.Dispose();
    }

    private static OnnxSegmenter Create(byte[] model, ModelDescriptor descriptor, InferenceOptions options, ILogger<OnnxSegmenter>? logger)
    {
        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.Optimization switch
            {
                GraphOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            EnableCpuMemArena = options.CpuMemoryArena,
            ExecutionMode = options.InterOpThreads > 0 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", options.AllowSpinning ? "1" : "0");

        var provider = CpuProvider;
        if (options.PreferCuda)
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                provider = CudaProvider;
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                // Expected with the CPU package and on machines without CUDA 13 + cuDNN 9: run on CPU instead.
                LogCudaUnavailable(log, ex.Message);
            }
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelContractException(
                ModelContractError.NotAnOnnxModel, $"model {descriptor.Version} cannot be loaded by ONNX Runtime: {ex.Message}", ex);
        }

        try
        {
            var fixedBatch = ModelContractCheck.Check(session.InputMetadata, session.OutputMetadata);
            var batchSize = fixedBatch ?? options.BatchSize;
            LogLoaded(log, descriptor.Version, descriptor.Sha256, provider, batchSize);
            return new OnnxSegmenter(session, descriptor, provider, fixedBatch, batchSize, log);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static ModelDescriptor BareDescriptor(string version, byte[] model) =>
        new(version, ModelManifestLoader.ComputeSha256(model), 0.5, ModelContract.FeatureVersion);

    private void RunBatches(Memory<float> features, Memory<float> probabilities, int count, CancellationToken cancellationToken)
    {
        using var runOptions = new RunOptions();

        // Cancelling during a batch makes ONNX Runtime stop that Run; between batches the loop checks the token.
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        for (var done = 0; done < count;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tiles = Math.Min(BatchSize, count - done);
            var input = features.Slice(done * ModelContract.FeatureValuesPerTile, tiles * ModelContract.FeatureValuesPerTile);
            var output = probabilities.Slice(done * ModelContract.PixelsPerTile, tiles * ModelContract.PixelsPerTile);
            try
            {
                if (_fixedBatch is int fixedBatch && tiles < fixedBatch)
                {
                    RunPadded(runOptions, input, output, tiles, fixedBatch);
                }
                else
                {
                    RunOne(runOptions, input, output, tiles);
                }
            }
            catch (OnnxRuntimeException ex) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("segmentation was cancelled during a batch", ex, cancellationToken);
            }

            done += tiles;
            LogBatch(_logger, tiles, done, count);
            BatchCompleted?.Invoke(done);
        }
    }

    private void RunOne(RunOptions runOptions, Memory<float> input, Memory<float> output, int tiles)
    {
        using var inputValue = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, input, [tiles, ModelContract.FeatureChannels, ModelContract.TileSize, ModelContract.TileSize]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, output, [tiles, 1, ModelContract.TileSize, ModelContract.TileSize]);
        _session.Run(runOptions, InputNames, [inputValue], OutputNames, [outputValue]);
    }

    private void RunPadded(RunOptions runOptions, Memory<float> input, Memory<float> output, int tiles, int fixedBatch)
    {
        _paddedInput ??= GC.AllocateArray<float>(fixedBatch * ModelContract.FeatureValuesPerTile, pinned: true);
        _paddedOutput ??= GC.AllocateArray<float>(fixedBatch * ModelContract.PixelsPerTile, pinned: true);
        input.Span.CopyTo(_paddedInput);
        _paddedInput.AsSpan(input.Length).Clear();
        RunOne(runOptions, _paddedInput, _paddedOutput, fixedBatch);
        _paddedOutput.AsSpan(0, output.Length).CopyTo(output.Span);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA execution provider unavailable, running on CPU: {Reason}")]
    private static partial void LogCudaUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {Version} (sha256 {Sha256}) on {Provider}, {BatchSize} tiles per batch")]
    private static partial void LogLoaded(ILogger logger, string version, string sha256, string provider, int batchSize);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Segmented {Tiles} tiles ({Done}/{Count})")]
    private static partial void LogBatch(ILogger logger, int tiles, int done, int count);
}
