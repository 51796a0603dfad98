using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Landslide.Core.Segmentation;
using Landslide.Inference;
using Landslide.Pipeline.Segmenters;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace Landslide.Pipeline.Hosting;

/// <summary>
/// `landslide serve`'s in-process model when none is fixed: the model models/current.json names in the served storage
/// (else the fallback, e.g. the embedded model). current.json's ETag is checked at most every <c>pollInterval</c>; when
/// it moves, the new version is downloaded, its sha256 checked, and new runs use it. Versions already loaded stay
/// available by name, so a run planned with one version is mapped by it to the last chunk.
/// </summary>
public sealed partial class StorageModelSource : IVersionedSegmenterSource, IDisposable
{
    private readonly PipelineStorage _storage;
    private readonly Func<OnnxSegmenter> _fallback;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, OnnxSegmenter> _loaded = new(StringComparer.Ordinal);
    private OnnxSegmenter? _current;
    private ETag? _pointerETag;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    public StorageModelSource(PipelineStorage storage, Func<OnnxSegmenter> fallback, TimeSpan pollInterval, ILogger<StorageModelSource> logger, TimeProvider? time = null)
    {
        _storage = storage;
        _fallback = fallback;
        _pollInterval = pollInterval;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public async ValueTask<ITileSegmenter> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && _time.GetUtcNow() - _checkedAt < _pollInterval)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is null || _time.GetUtcNow() - _checkedAt >= _pollInterval)
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                _checkedAt = _time.GetUtcNow();
            }

            return _current!;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<ITileSegmenter?> GetAsync(string version, CancellationToken cancellationToken)
    {
        if (_loaded.TryGetValue(version, out var segmenter))
        {
            return segmenter;
        }

        try
        {
            return await LoadAsync(version, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or ModelContractException or InvalidDataException)
        {
            // Not a registry version (e.g. the embedded model): the caller falls back to the current model.
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var segmenter in _loaded.Values)
        {
            segmenter.Dispose();
        }

        _gate.Dispose();
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var pointer = _storage.Container(StorageNames.ModelsContainer).GetBlobClient("current.json");
        try
        {
            var properties = await pointer.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (_current is not null && properties.Value.ETag == _pointerETag)
            {
                return;
            }

            var content = (await pointer.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            using var document = JsonDocument.Parse(content.Content.ToMemory());
            var version = document.RootElement.GetProperty("version").GetString()
                ?? throw new InvalidDataException("models/current.json has no version");
            var previous = _current?.Model.Version;
            _current = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
            _pointerETag = content.Details.ETag;
            if (previous != version)
            {
                LogSwapped(previous ?? "none", version, _current.Model.Sha256);
                PipelineTelemetry.ModelSwapped(version);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            _current ??= Remember(_fallback());
        }
        catch (Exception e) when (e is RequestFailedException or ModelContractException or InvalidDataException or JsonException or KeyNotFoundException)
        {
            // A half-written or broken promotion must not stop mapping: keep the model in use and try again later.
            LogLoadFailed(e);
            _current ??= Remember(_fallback());
        }
    }

    private async Task<OnnxSegmenter> LoadAsync(string version, CancellationToken cancellationToken)
    {
        if (_loaded.TryGetValue(version, out var loaded))
        {
            return loaded;
        }

        var models = _storage.Container(StorageNames.ModelsContainer);
        var manifest = (await models.GetBlobClient($"{version}/{ModelManifest.FileName}").DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        var onnx = (await models.GetBlobClient($"{version}/{ModelManifest.ModelFileName}").DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        var segmenter = OnnxSegmenter.FromBytes(onnx.ToArray(), ModelManifestLoader.Parse(manifest.ToArray()), new InferenceOptions());
        return Remember(segmenter);
    }

    private OnnxSegmenter Remember(OnnxSegmenter segmenter)
    {
        var kept = _loaded.GetOrAdd(segmenter.Model.Version, segmenter);
        if (!ReferenceEquals(kept, segmenter))
        {
            segmenter.Dispose();
        }

        return kept;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model swapped: {Previous} -> {Version} (sha256 {Sha256}); new runs use it")]
    private partial void LogSwapped(string previous, string version, string sha256);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the model models/current.json names; keeping the model in use")]
    private partial void LogLoadFailed(Exception error);
}
