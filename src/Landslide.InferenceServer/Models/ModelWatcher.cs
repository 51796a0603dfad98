using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Telemetry;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer.Models;

/// <summary>
/// Loads the model named by current.json at start, then polls it: a new version is loaded, checked against the
/// contract, warmed up on one tile and only then swapped in. A model that fails any step is refused and the old
/// one keeps serving; the same pointer is not retried until current.json changes again.
/// </summary>
internal sealed partial class ModelWatcher(
    IModelSource source,
    ISegmenterLoader loader,
    ModelSlot slot,
    InferenceServerTelemetry telemetry,
    IOptions<InferenceServerOptions> options,
    ILogger<ModelWatcher> logger) : BackgroundService
{
    private string? _lastTag;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Loading is synchronous native work: keep it off the host's start-up path.
        await Task.Yield();
        using var timer = new PeriodicTimer(options.Value.ModelPollInterval);
        try
        {
            do
            {
                try
                {
                    await CheckAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Nothing a poll meets may stop the server: the old model keeps serving.
                    slot.Problem = $"model check failed: {ex.Message}";
                    LogCheckFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        ModelPointer? pointer;
        try
        {
            pointer = await source.ReadCurrentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ModelPointerException ex)
        {
            // The same refused content is counted and logged once, not on every poll.
            if (ex.ETag != _lastTag)
            {
                _lastTag = ex.ETag;
                telemetry.PointerRefused();
                slot.Problem = ex.Message;
                LogPointerRefused(ex.Message, slot.Current?.Descriptor.Version ?? "(none)");
            }

            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Storage unreachable, file locked, access denied: try again next poll; say it once per distinct failure.
            var problem = $"models/current.json could not be read: {ex.Message}";
            if (problem != slot.Problem)
            {
                slot.Problem = problem;
                LogPointerUnreadable(ex, slot.Current?.Descriptor.Version ?? "(none)");
            }

            return;
        }

        if (pointer is null)
        {
            slot.Problem ??= "models/current.json does not exist yet: no model has been promoted";
            return;
        }

        if (pointer.ETag == _lastTag)
        {
            return;
        }

        _lastTag = pointer.ETag;
        if (slot.Current?.Descriptor.Version == pointer.Version)
        {
            slot.Problem = null;
            return;
        }

        ServingModel? model = null;
        try
        {
            var folder = await source.FetchAsync(pointer.Version, cancellationToken).ConfigureAwait(false);
            model = loader.Load(folder);
            if (model.Descriptor.Version != pointer.Version)
            {
                throw new InvalidDataException($"current.json names {pointer.Version} but the manifest says {model.Descriptor.Version}");
            }

            if (model.Descriptor.FeatureVersion != ModelContract.FeatureVersion)
            {
                throw new InvalidDataException($"the model expects features {model.Descriptor.FeatureVersion}, this service computes none and callers send {ModelContract.FeatureVersion}");
            }

            await WarmUpAsync(model.Segmenter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            // Storage hiccup while downloading: not the model's fault, so the same pointer is tried again next poll.
            model?.Release();
            _lastTag = null;
            slot.Problem = $"model {pointer.Version} could not be fetched yet: {ex.Message}";
            LogFetchFailed(ex, pointer.Version, slot.Current?.Descriptor.Version ?? "(none)");
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            model?.Release();
            telemetry.ModelRefused();
            slot.Problem = $"model {pointer.Version} refused: {ex.Message}";
            LogModelRefused(ex, pointer.Version, slot.Current?.Descriptor.Version ?? "(none)");
            return;
        }

        var previous = slot.Current?.Descriptor.Version;
        slot.Swap(model);
        slot.Problem = null;
        telemetry.ModelSwapped();
        LogModelServing(model.Descriptor.Version, model.Descriptor.Sha256, model.Provider, previous ?? "(none)");
    }

    private static bool IsTransient(Exception ex) => ex switch
    {
        Azure.RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or TimeoutException or System.Net.Sockets.SocketException => true,
        FileNotFoundException or DirectoryNotFoundException => false,
        IOException io => io.InnerException is not null && IsTransient(io.InnerException),
        _ => false,
    };

    private static async Task WarmUpAsync(ITileSegmenter segmenter, CancellationToken cancellationToken)
    {
        // One zero tile: the first run allocates the session's buffers (and on CUDA, the kernels).
        var features = new float[ModelContract.FeatureValuesPerTile];
        var probabilities = new float[ModelContract.PixelsPerTile];
        await segmenter.SegmentAsync(features, probabilities, 1, cancellationToken).ConfigureAwait(false);
        foreach (var p in probabilities)
        {
            if (!(p >= 0f && p <= 1f))
            {
                throw new InvalidDataException($"warm-up produced {p}, outside [0, 1]");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "models/current.json could not be read; still serving {Serving}")]
    private partial void LogPointerUnreadable(Exception exception, string serving);

    [LoggerMessage(Level = LogLevel.Error, Message = "models/current.json refused: {Reason}; still serving {Serving}")]
    private partial void LogPointerRefused(string reason, string serving);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model check failed; still serving the current model")]
    private partial void LogCheckFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Version} could not be fetched; will retry; still serving {Serving}")]
    private partial void LogFetchFailed(Exception exception, string version, string serving);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Version} refused; still serving {Serving}")]
    private partial void LogModelRefused(Exception exception, string version, string serving);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving model {Version} (sha256 {Sha256}) on {Provider}; replaced {Previous}")]
    private partial void LogModelServing(string version, string sha256, string provider, string previous);
}
