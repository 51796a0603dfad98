using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using System.Numerics.Tensors;

namespace Landslide.Inference.Client;

/// <summary>
/// The inference service behind <see cref="ITileSegmenter"/>: splits a call into requests of at most
/// <see cref="InferenceClientOptions.MaxTilesPerRequest"/> tiles, sends them through the resilience pipeline and
/// writes every answer into its own slice, so tiles are never lost or reordered. Any request that fails after its
/// retries fails the whole call with an <see cref="InferenceClientException"/>; no partial result is reported.
/// </summary>
public sealed partial class InferenceClient : ITileSegmenter
{
    // Rounds of re-sending tiles answered by a model that was swapped out during the call.
    private const int MaxVersionRounds = 3;

    private static readonly string[] TileShapeSuffix = ["1", "128", "128"];

    private readonly IHttpClientFactory _httpClients;
    private readonly InferenceClientOptions _options;
    private readonly ILogger<InferenceClient> _logger;
    private volatile ModelDescriptor? _model;
    private volatile string? _lastVersion;
    private int _serverMaxTiles = int.MaxValue;

    /// <summary>Name of the client's HttpClient in <see cref="IHttpClientFactory"/> (base address, resilience and buffering handlers).</summary>
    public const string HttpClientName = "Landslide.Inference.Client";

    /// <param name="httpClients">Hands out the named client per request, so this (a long-lived singleton that remembers the model) never pins a handler.</param>
    public InferenceClient(IHttpClientFactory httpClients, IOptions<InferenceClientOptions> options, ILogger<InferenceClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClients = httpClients;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The model that answered the last call (or <see cref="RefreshModelAsync"/>).</summary>
    /// <exception cref="InvalidOperationException">Before the first call or refresh: the service has not been asked yet.</exception>
    public ModelDescriptor Model => _model
        ?? throw new InvalidOperationException("the service's model is not known yet: call RefreshModelAsync or SegmentAsync first");

    /// <summary>Asks GET /v1/model for the model now serving and remembers it as <see cref="Model"/>.</summary>
    public async Task<ModelDescriptor> RefreshModelAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, InferenceProtocol.ModelPath.TrimStart('/'));
        await AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);
        using var response = await SendThroughPipelineAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        var info = await response.Content.ReadFromJsonAsync<ModelInfoDto>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false)
            ?? throw new InferenceClientException(InferenceError.ProtocolViolation, "GET /v1/model answered an empty body");
        var model = new ModelDescriptor(info.Version, info.Sha256, info.Threshold, info.FeatureVersion, info.Width);
        if (info.MaxTilesPerRequest is > 0)
        {
            Volatile.Write(ref _serverMaxTiles, info.MaxTilesPerRequest.Value);
        }

        _model = model;
        return model;
    }

    public async ValueTask SegmentAsync(ReadOnlyMemory<float> features, Memory<float> probabilities, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (features.Length != (long)count * ModelContract.FeatureValuesPerTile)
        {
            throw new ArgumentException($"expected {count} x 23 x 128 x 128 = {(long)count * ModelContract.FeatureValuesPerTile} feature values, got {features.Length}", nameof(features));
        }

        if (probabilities.Length < (long)count * ModelContract.PixelsPerTile)
        {
            throw new ArgumentException($"room for {count} x 128 x 128 probabilities needed, got {probabilities.Length}", nameof(probabilities));
        }

        if (count == 0)
        {
            return;
        }

        // The first call asks the service for its model and its per-request limit; requests never exceed either side's.
        if (_model is null)
        {
            await RefreshModelAsync(cancellationToken).ConfigureAwait(false);
        }

        var perRequest = Math.Min(_options.MaxTilesPerRequest, Volatile.Read(ref _serverMaxTiles));
        var chunks = (count + perRequest - 1) / perRequest;
        var versions = new string[chunks];
        IEnumerable<int> pending = Enumerable.Range(0, chunks);

        for (var round = 0; ; round++)
        {
            await Parallel.ForEachAsync(
                pending,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRequests, CancellationToken = cancellationToken },
                async (chunk, token) =>
                {
                    var first = chunk * perRequest;
                    var n = Math.Min(perRequest, count - first);
                    versions[chunk] = await SendChunkAsync(
                        features.Slice(first * ModelContract.FeatureValuesPerTile, n * ModelContract.FeatureValuesPerTile),
                        probabilities.Slice(first * ModelContract.PixelsPerTile, n * ModelContract.PixelsPerTile),
                        n,
                        token).ConfigureAwait(false);
                }).ConfigureAwait(false);

            // A hot swap during the call leaves some tiles from the old model: send those again to the new one.
            var latest = _lastVersion!;
            var stale = Enumerable.Range(0, chunks).Where(i => versions[i] != latest).ToArray();
            if (stale.Length == 0)
            {
                break;
            }

            if (round + 1 >= MaxVersionRounds)
            {
                throw new InferenceClientException(InferenceError.ModelChanged, $"the service's model kept changing during the call ({string.Join(", ", versions.Distinct())})");
            }

            LogModelChanged(stale.Length, latest);
            pending = stale;
        }

        if (_model?.Version != versions[0])
        {
            await RefreshModelAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> SendChunkAsync(ReadOnlyMemory<float> features, Memory<float> probabilities, int count, CancellationToken cancellationToken)
    {
        var values = features.Length;
        var bytes = _options.SendFloat16 ? values * sizeof(ushort) : values * sizeof(float);
        var buffer = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            if (_options.SendFloat16)
            {
                TensorPrimitives.ConvertToHalf(features.Span, MemoryMarshal.Cast<byte, Half>(buffer.AsSpan(0, bytes)));
            }
            else
            {
                MemoryMarshal.AsBytes(features.Span).CopyTo(buffer);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, InferenceProtocol.SegmentPath.TrimStart('/'));
            request.Content = new ByteArrayContent(buffer, 0, bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(InferenceProtocol.TensorContentType);
            request.Headers.Add(InferenceProtocol.ShapeHeader, string.Create(CultureInfo.InvariantCulture, $"{count},{ModelContract.FeatureChannels},{ModelContract.TileSize},{ModelContract.TileSize}"));
            request.Headers.Add(InferenceProtocol.TypeHeader, _options.SendFloat16 ? InferenceProtocol.Float16 : InferenceProtocol.Float32);
            request.Headers.Add(InferenceProtocol.OutputTypeHeader, _options.ReceiveFloat32 ? InferenceProtocol.Float32 : InferenceProtocol.UInt8);
            await AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);

            using var response = await SendThroughPipelineAsync(request, cancellationToken).ConfigureAwait(false);
            await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
            var version = await ReadProbabilitiesAsync(response, probabilities, count, cancellationToken).ConfigureAwait(false);
            _lastVersion = version;
            return version;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<string> ReadProbabilitiesAsync(HttpResponseMessage response, Memory<float> probabilities, int count, CancellationToken cancellationToken)
    {
        var version = Header(response, InferenceProtocol.ModelVersionHeader)
            ?? throw new InferenceClientException(InferenceError.ProtocolViolation, "the answer has no X-Model-Version header", (int)response.StatusCode);
        var type = Header(response, InferenceProtocol.TypeHeader);
        var shape = Header(response, InferenceProtocol.ShapeHeader)?.Split(',');
        if (shape is not { Length: 4 } || shape[0] != count.ToString(CultureInfo.InvariantCulture) || !shape.AsSpan(1).SequenceEqual(TileShapeSuffix))
        {
            throw new InferenceClientException(InferenceError.ProtocolViolation, $"asked for {count} tiles, the answer's shape is '{Header(response, InferenceProtocol.ShapeHeader)}'", (int)response.StatusCode);
        }

        var elementSize = type switch
        {
            InferenceProtocol.UInt8 => 1,
            InferenceProtocol.Float32 => 4,
            _ => throw new InferenceClientException(InferenceError.ProtocolViolation, $"unknown answer type '{type}'", (int)response.StatusCode),
        };
        var expected = probabilities.Length * elementSize;
        if (response.Content.Headers.ContentLength is { } length && length != expected)
        {
            throw new InferenceClientException(InferenceError.ProtocolViolation, $"expected {expected} bytes of probabilities, the answer has {length}", (int)response.StatusCode);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                if (elementSize == 4)
                {
                    stream.ReadExactly(MemoryMarshal.AsBytes(probabilities.Span));
                }
                else
                {
                    var raw = ArrayPool<byte>.Shared.Rent(expected);
                    try
                    {
                        stream.ReadExactly(raw, 0, expected);
                        var target = probabilities.Span;
                        TensorPrimitives.ConvertTruncating<byte, float>(raw.AsSpan(0, expected), target);
                        TensorPrimitives.Divide(target, 255f, target);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(raw);
                    }
                }
            }
            catch (EndOfStreamException ex)
            {
                throw new InferenceClientException(InferenceError.ProtocolViolation, $"the answer is shorter than {expected} bytes", (int)response.StatusCode, null, ex);
            }
        }

        return version;
    }

    private async Task<HttpResponseMessage> SendThroughPipelineAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException ex)
        {
            throw new InferenceClientException(InferenceError.CircuitOpen, $"the inference service circuit is open: {ex.Message}", null, null, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new InferenceClientException(InferenceError.Timeout, $"the inference request timed out after {ex.Timeout}", null, null, ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new InferenceClientException(InferenceError.Overloaded, "too many inference requests queued in this process", null, null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new InferenceClientException(InferenceError.Unavailable, $"the inference service could not be reached: {ex.Message}", null, null, ex);
        }
    }

    private async ValueTask AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_options.AccessTokenProvider is { } tokens)
        {
            var token = await tokens(cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Add(InferenceProtocol.ApiKeyHeader, _options.ApiKey);
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        string? problemCode = null;
        string? detail = null;
        if (response.Content.Headers.ContentType?.MediaType == InferenceProtocol.ProblemContentType)
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<ProblemDto>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
                problemCode = problem?.Code;
                detail = problem?.Detail;
            }
            catch (JsonException)
            {
                // An unreadable problem body still leaves the status code to act on.
            }
        }

        var code = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => InferenceError.Unauthorized,
            HttpStatusCode.RequestTimeout => InferenceError.Timeout,
            HttpStatusCode.TooManyRequests => InferenceError.Unavailable,
            _ when status >= 500 => InferenceError.Unavailable,
            _ => InferenceError.Rejected,
        };
        throw new InferenceClientException(code, $"the inference service answered {status} {problemCode}: {detail ?? response.ReasonPhrase}", status, problemCode);
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Model changed to {Version} during the call; re-sending {Requests} requests answered by the old one")]
    private partial void LogModelChanged(int requests, string version);

    private sealed record ModelInfoDto(string Version, string Sha256, double Threshold, string FeatureVersion, int? Width, int? MaxTilesPerRequest);

    private sealed record ProblemDto(string? Code, string? Detail);
}
