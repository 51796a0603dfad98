using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Batching;
using Landslide.InferenceServer.Models;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using static Landslide.Core.Segmentation.InferenceProtocol;

namespace Landslide.InferenceServer.Endpoints;

/// <summary>
/// POST /v1/segment: validates the request from its headers before reading a byte of the body, reads the body into
/// pooled memory, checks the values, queues the tiles for a batch and answers the probabilities as binary.
/// </summary>
internal static class SegmentEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        DynamicBatcher batcher,
        ModelSlot slot,
        ServerMetrics metrics,
        IOptions<InferenceServerOptions> options)
    {
        var o = options.Value;
        var request = context.Request;

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !string.Equals(mediaType.MediaType, TensorContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Invalid(metrics, StatusCodes.Status415UnsupportedMediaType, Errors.UnsupportedMediaType, $"Content-Type must be {TensorContentType}, got '{request.ContentType}'.");
        }

        if (request.ContentLength is not { } declaredBytes)
        {
            return Invalid(metrics, StatusCodes.Status411LengthRequired, Errors.LengthRequired, "Content-Length is required.");
        }

        if (declaredBytes > o.MaxRequestBytes)
        {
            return Invalid(metrics, StatusCodes.Status413PayloadTooLarge, Errors.BodyTooLarge, $"Content-Length {declaredBytes} exceeds the limit of {o.MaxRequestBytes} bytes.");
        }

        var inputType = request.Headers[TypeHeader].ToString();
        var elementSize = inputType switch
        {
            Float16 => sizeof(ushort),
            Float32 => sizeof(float),
            _ => 0,
        };
        if (elementSize == 0)
        {
            return Invalid(metrics, StatusCodes.Status400BadRequest, Errors.InvalidType, $"{TypeHeader} must be {Float16} or {Float32}, got '{inputType}'.");
        }

        var outputType = request.Headers[OutputTypeHeader].ToString();
        if (outputType.Length == 0)
        {
            outputType = UInt8;
        }

        if (outputType is not (UInt8 or Float32))
        {
            return Invalid(metrics, StatusCodes.Status400BadRequest, Errors.InvalidType, $"{OutputTypeHeader} must be {UInt8} or {Float32}, got '{outputType}'.");
        }

        if (!TryParseTileCount(request.Headers[ShapeHeader].ToString(), out var tiles))
        {
            return Invalid(metrics, StatusCodes.Status400BadRequest, Errors.InvalidShape, $"{ShapeHeader} must be N,23,128,128 with N >= 1, got '{request.Headers[ShapeHeader]}'.");
        }

        if (tiles > o.MaxTilesPerRequest)
        {
            return Invalid(metrics, StatusCodes.Status413PayloadTooLarge, Errors.TooManyTiles, $"{tiles} tiles exceed the limit of {o.MaxTilesPerRequest} per request.");
        }

        var values = tiles * ModelContract.FeatureValuesPerTile;
        var expectedBytes = (long)values * elementSize;
        if (declaredBytes != expectedBytes)
        {
            return Invalid(metrics, StatusCodes.Status400BadRequest, Errors.LengthMismatch, $"shape {tiles},23,128,128 of {inputType} is {expectedBytes} bytes, Content-Length says {declaredBytes}.");
        }

        if (slot.Current is null)
        {
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, Errors.NotReady, "No model is loaded yet.", o.RetryAfterSeconds);
        }

        // Kestrel stops the body at the declared length: a client cannot stream more than it announced.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = declaredBytes;
        }

        var raw = ArrayPool<byte>.Shared.Rent((int)expectedBytes);
        var features = ArrayPool<float>.Shared.Rent(values);
        var probabilities = ArrayPool<float>.Shared.Rent(tiles * ModelContract.PixelsPerTile);
        try
        {
            int read;
            try
            {
                read = await request.Body.ReadAtLeastAsync(raw.AsMemory(0, (int)expectedBytes), (int)expectedBytes, throwOnEndOfStream: false, context.RequestAborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex)
            {
                return Invalid(metrics, StatusCodes.Status400BadRequest, Errors.LengthMismatch, $"the body ended before Content-Length {declaredBytes}: {ex.Message}");
            }

            if (read != expectedBytes)
            {
                return Invalid(metrics, StatusCodes.Status400BadRequest, Errors.LengthMismatch, $"the body has {read} bytes, Content-Length says {declaredBytes}.");
            }

            var target = features.AsSpan(0, values);
            if (elementSize == sizeof(ushort))
            {
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(raw.AsSpan(0, (int)expectedBytes)), target);
            }
            else
            {
                MemoryMarshal.Cast<byte, float>(raw.AsSpan(0, (int)expectedBytes)).CopyTo(target);
            }

            if (!TensorPrimitives.IsFiniteAll<float>(target))
            {
                var index = IndexOfNonFinite(target);
                var tile = index / ModelContract.FeatureValuesPerTile;
                var channel = index % ModelContract.FeatureValuesPerTile / ModelContract.PixelsPerTile;
                return Invalid(metrics, StatusCodes.Status422UnprocessableEntity, Errors.NonFiniteValues, $"tile {tile} channel {channel} holds {target[index]}; features must be finite.");
            }

            var job = new SegmentJob(features, probabilities, tiles, context.RequestAborted);
            if (!batcher.TryEnqueue(job))
            {
                metrics.QueueFull();
                return Problems.Result(StatusCodes.Status429TooManyRequests, Errors.QueueFull, "The batch queue is full; retry later.", o.RetryAfterSeconds);
            }

            BatchOutcome outcome;
            try
            {
                // Awaited even when the caller leaves: the buffers go back to the pool only once the batcher is done with them.
                outcome = await job.Completion.Task.ConfigureAwait(false);
            }
            catch (ModelNotReadyException ex)
            {
                return Problems.Result(StatusCodes.Status503ServiceUnavailable, Errors.NotReady, ex.Message, o.RetryAfterSeconds);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return Results.Empty;
            }

            metrics.RequestServed(tiles);
            var response = context.Response;
            response.Headers[ModelVersionHeader] = outcome.ModelVersion;
            response.Headers[BatchTilesHeader] = outcome.BatchTiles.ToString(CultureInfo.InvariantCulture);
            response.Headers[BatchRequestsHeader] = outcome.BatchRequests.ToString(CultureInfo.InvariantCulture);
            response.Headers[ShapeHeader] = string.Create(CultureInfo.InvariantCulture, $"{tiles},1,{ModelContract.TileSize},{ModelContract.TileSize}");
            response.Headers[TypeHeader] = outputType;
            response.ContentType = TensorContentType;

            var output = probabilities.AsSpan(0, tiles * ModelContract.PixelsPerTile);
            int outBytes;
            if (outputType == UInt8)
            {
                // p -> round(255 p), saturating; reuse the raw buffer, which is at least as large.
                TensorPrimitives.Multiply(output, 255f, output);
                TensorPrimitives.Add(output, 0.5f, output);
                TensorPrimitives.ConvertSaturating<float, byte>(output, raw.AsSpan(0, output.Length));
                outBytes = output.Length;
            }
            else
            {
                outBytes = output.Length * sizeof(float);
                if (raw.Length < outBytes)
                {
                    ArrayPool<byte>.Shared.Return(raw);
                    raw = ArrayPool<byte>.Shared.Rent(outBytes);
                }

                MemoryMarshal.AsBytes(output).CopyTo(raw);
            }

            response.ContentLength = outBytes;
            await response.Body.WriteAsync(raw.AsMemory(0, outBytes), context.RequestAborted).ConfigureAwait(false);
            return Results.Empty;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<float>.Shared.Return(features);
            ArrayPool<float>.Shared.Return(probabilities);
        }
    }

    private static IResult Invalid(ServerMetrics metrics, int status, string code, string detail)
    {
        metrics.Invalid();
        return Problems.Result(status, code, detail);
    }

    private static bool TryParseTileCount(string shape, out int tiles)
    {
        tiles = 0;
        Span<Range> parts = stackalloc Range[5];
        var span = shape.AsSpan();
        if (span.Split(parts, ',') != 4)
        {
            return false;
        }

        Span<int> dims = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            if (!int.TryParse(span[parts[i]].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
            {
                return false;
            }
        }

        if (dims[0] < 1 || dims[1] != ModelContract.FeatureChannels || dims[2] != ModelContract.TileSize || dims[3] != ModelContract.TileSize)
        {
            return false;
        }

        tiles = dims[0];
        return true;
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return 0;
    }
}
