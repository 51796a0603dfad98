using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Admission;
using Landslide.InferenceServer.Batching;
using Landslide.InferenceServer.Models;
using Landslide.InferenceServer.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using static Landslide.Core.Segmentation.InferenceProtocol;

namespace Landslide.InferenceServer.Endpoints;

/// <summary>
/// POST /v1/segment: validates the request from its headers before reading a byte of the body, admits it against the
/// memory budget, reads the body in bounded pieces into pooled memory, checks the values as they arrive, queues the tiles for a batch and answers the probabilities as binary.
/// </summary>
internal static class SegmentEndpoint
{
    private const int PieceBytes = MemoryBudget.PieceBytes;

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        DynamicBatcher batcher,
        ModelSlot slot,
        MemoryBudget budget,
        InferenceServerTelemetry telemetry,
        IOptions<InferenceServerOptions> options)
    {
        var o = options.Value;
        var request = context.Request;

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !string.Equals(mediaType.MediaType, TensorContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(telemetry, StatusCodes.Status415UnsupportedMediaType, Errors.UnsupportedMediaType, $"Content-Type must be {TensorContentType}, got '{request.ContentType}'.");
        }

        if (request.ContentLength is not { } declaredBytes)
        {
            return Refuse(telemetry, StatusCodes.Status411LengthRequired, Errors.LengthRequired, "Content-Length is required.");
        }

        if (declaredBytes > o.MaxRequestBytes)
        {
            return Refuse(telemetry, StatusCodes.Status413PayloadTooLarge, Errors.BodyTooLarge, $"Content-Length {declaredBytes} exceeds the limit of {o.MaxRequestBytes} bytes.");
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
            return Refuse(telemetry, StatusCodes.Status400BadRequest, Errors.InvalidType, $"{TypeHeader} must be {Float16} or {Float32}, got '{inputType}'.");
        }

        var outputType = request.Headers[OutputTypeHeader].ToString();
        if (outputType.Length == 0)
        {
            outputType = UInt8;
        }

        if (outputType is not (UInt8 or Float32))
        {
            return Refuse(telemetry, StatusCodes.Status400BadRequest, Errors.InvalidType, $"{OutputTypeHeader} must be {UInt8} or {Float32}, got '{outputType}'.");
        }

        if (!TryParseTileCount(request.Headers[ShapeHeader].ToString(), out var tiles))
        {
            return Refuse(telemetry, StatusCodes.Status400BadRequest, Errors.InvalidShape, $"{ShapeHeader} must be N,23,128,128 with N >= 1, got '{request.Headers[ShapeHeader]}'.");
        }

        if (tiles > o.MaxTilesPerRequest)
        {
            return Refuse(telemetry, StatusCodes.Status413PayloadTooLarge, Errors.TooManyTiles, $"{tiles} tiles exceed the limit of {o.MaxTilesPerRequest} per request.");
        }

        var values = tiles * ModelContract.FeatureValuesPerTile;
        var expectedBytes = (long)values * elementSize;
        if (declaredBytes != expectedBytes)
        {
            return Refuse(telemetry, StatusCodes.Status400BadRequest, Errors.LengthMismatch, $"shape {tiles},23,128,128 of {inputType} is {expectedBytes} bytes, Content-Length says {declaredBytes}.");
        }

        if (slot.Current is null)
        {
            return Refuse(telemetry, StatusCodes.Status503ServiceUnavailable, Errors.NotReady, "No model is loaded yet.", o.RetryAfterSeconds);
        }

        // Admission: everything this request will rent is reserved first (as the pool rents it: rounded up to a
        // power of two), from the declared sizes, so no buffer exists for a request the budget cannot hold.
        if (!budget.TryReserve(MemoryBudget.BytesFor(tiles), out var reservation))
        {
            return Refuse(telemetry, StatusCodes.Status503ServiceUnavailable, ServerErrors.MemoryBudget, $"the server holds {budget.InUse} of its {budget.Limit} buffer bytes; retry later.", o.RetryAfterSeconds);
        }

        using var held = reservation;

        // Kestrel stops the body at the declared length: a client cannot stream more than it announced.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = declaredBytes;
        }

        var features = ArrayPool<float>.Shared.Rent(values);
        var probabilities = ArrayPool<float>.Shared.Rent(tiles * ModelContract.PixelsPerTile);
        var piece = ArrayPool<byte>.Shared.Rent(PieceBytes);
        try
        {
            var read = await ReadFeaturesAsync(request.BodyReader, piece, elementSize, features, values, o.MaxAbsFeatureValue, context.RequestAborted).ConfigureAwait(false);
            if (read.Error is { } error)
            {
                return Refuse(telemetry, error.Status, error.Code, error.Detail);
            }

            var job = new SegmentJob(features, probabilities, tiles, context.RequestAborted);
            if (!batcher.TryEnqueue(job))
            {
                return Refuse(telemetry, StatusCodes.Status429TooManyRequests, Errors.QueueFull, "The batch queue is full; retry later.", o.RetryAfterSeconds);
            }

            BatchOutcome outcome;
            try
            {
                // Awaited even when the caller leaves: the buffers go back to the pool only once the batcher is done with them.
                outcome = await job.Completion.Task.ConfigureAwait(false);
            }
            catch (ModelNotReadyException ex)
            {
                return Refuse(telemetry, StatusCodes.Status503ServiceUnavailable, Errors.NotReady, ex.Message, o.RetryAfterSeconds);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return Results.Empty;
            }

            var response = context.Response;
            response.Headers[ModelVersionHeader] = outcome.ModelVersion;
            var output = probabilities.AsSpan(0, tiles * ModelContract.PixelsPerTile);

            // An answer is always in [0, 1]: a NaN means the model itself broke (inputs are range-checked), and is
            // a 500 naming the model rather than a 200 carrying NaN; finite values outside are rounding, clamped.
            if (TensorPrimitives.IsNaNAny<float>(output))
            {
                var tile = IndexOfNaN(output) / ModelContract.PixelsPerTile;
                return Problems.Result(StatusCodes.Status500InternalServerError, ServerErrors.InvalidModelOutput, $"model {outcome.ModelVersion} produced NaN probabilities for tile {tile}.");
            }

            TensorPrimitives.Max(output, 0f, output);
            TensorPrimitives.Min(output, 1f, output);

            telemetry.RequestServed(tiles);
            response.Headers[BatchTilesHeader] = outcome.BatchTiles.ToString(CultureInfo.InvariantCulture);
            response.Headers[BatchRequestsHeader] = outcome.BatchRequests.ToString(CultureInfo.InvariantCulture);
            response.Headers[ShapeHeader] = string.Create(CultureInfo.InvariantCulture, $"{tiles},1,{ModelContract.TileSize},{ModelContract.TileSize}");
            response.Headers[TypeHeader] = outputType;
            response.ContentType = TensorContentType;
            response.ContentLength = outputType == UInt8 ? output.Length : output.Length * sizeof(float);
            await WriteProbabilitiesAsync(response.BodyWriter, probabilities, output.Length, outputType == UInt8, context.RequestAborted).ConfigureAwait(false);
            return Results.Empty;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
            ArrayPool<float>.Shared.Return(features);
            ArrayPool<float>.Shared.Return(probabilities);
        }
    }

    /// <summary>
    /// Reads the body in pieces of at most <see cref="PieceBytes"/>, converting each into the features and checking
    /// it as it arrives: a bad value stops the upload there, and no copy of the whole raw body ever exists.
    /// </summary>
    private static async Task<ReadOutcome> ReadFeaturesAsync(PipeReader reader, byte[] piece, int elementSize, float[] features, int values, float maxAbs, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status408RequestTimeout)
            {
                return new ReadOutcome(new ReadError(StatusCodes.Status408RequestTimeout, ServerErrors.BodyTooSlow, "the body arrived slower than the minimum data rate and was cut off."));
            }
            catch (BadHttpRequestException ex)
            {
                return new ReadOutcome(new ReadError(StatusCodes.Status400BadRequest, Errors.LengthMismatch, $"the body ended before its Content-Length: {ex.Message}"));
            }

            var buffer = result.Buffer;
            while (buffer.Length >= elementSize)
            {
                var take = (int)Math.Min(buffer.Length, piece.Length);
                take -= take % elementSize;
                var count = take / elementSize;
                if (filled + count > values)
                {
                    reader.AdvanceTo(buffer.Start);
                    return new ReadOutcome(new ReadError(StatusCodes.Status400BadRequest, Errors.LengthMismatch, "the body is longer than its shape."));
                }

                buffer.Slice(0, take).CopyTo(piece);
                var target = features.AsSpan(filled, count);
                if (elementSize == sizeof(ushort))
                {
                    TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(piece.AsSpan(0, take)), target);
                }
                else
                {
                    MemoryMarshal.Cast<byte, float>(piece.AsSpan(0, take)).CopyTo(target);
                }

                if (CheckValues(target, filled, maxAbs) is { } bad)
                {
                    reader.AdvanceTo(buffer.Start);
                    return new ReadOutcome(bad);
                }

                filled += count;
                buffer = buffer.Slice(take);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return filled == values && buffer.Length == 0
                    ? default
                    : new ReadOutcome(new ReadError(StatusCodes.Status400BadRequest, Errors.LengthMismatch, $"the body has {((long)filled * elementSize) + buffer.Length} bytes, its shape needs {(long)values * elementSize}."));
            }
        }
    }

    private static ReadError? CheckValues(ReadOnlySpan<float> values, int offset, float maxAbs)
    {
        if (TensorPrimitives.IsFiniteAll(values) && Math.Abs(TensorPrimitives.MaxMagnitude(values)) <= maxAbs)
        {
            return null;
        }

        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (float.IsFinite(value) && Math.Abs(value) <= maxAbs)
            {
                continue;
            }

            var index = offset + i;
            var tile = index / ModelContract.FeatureValuesPerTile;
            var channel = index % ModelContract.FeatureValuesPerTile / ModelContract.PixelsPerTile;
            return float.IsFinite(value)
                ? new ReadError(StatusCodes.Status422UnprocessableEntity, ServerErrors.ValuesOutOfRange, string.Create(CultureInfo.InvariantCulture, $"tile {tile} channel {channel} holds {value}; features must lie within +-{maxAbs}."))
                : new ReadError(StatusCodes.Status422UnprocessableEntity, Errors.NonFiniteValues, string.Create(CultureInfo.InvariantCulture, $"tile {tile} channel {channel} holds {value}; features must be finite."));
        }

        return null;
    }

    /// <summary>Writes the answer in pieces: uint8 = round(255 p) saturating, or the float32 bytes.</summary>
    private static async Task WriteProbabilitiesAsync(PipeWriter writer, float[] probabilities, int count, bool asBytes, CancellationToken cancellationToken)
    {
        const int PieceValues = PieceBytes / sizeof(float);
        for (var offset = 0; offset < count; offset += PieceValues)
        {
            var n = Math.Min(PieceValues, count - offset);
            var values = probabilities.AsSpan(offset, n);
            if (asBytes)
            {
                TensorPrimitives.Multiply(values, 255f, values);
                TensorPrimitives.Add(values, 0.5f, values);
                TensorPrimitives.ConvertSaturating<float, byte>(values, writer.GetSpan(n));
                writer.Advance(n);
            }
            else
            {
                MemoryMarshal.AsBytes(values).CopyTo(writer.GetSpan(n * sizeof(float)));
                writer.Advance(n * sizeof(float));
            }

            var flush = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                return;
            }
        }
    }

    private static int IndexOfNaN(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>A problem answer for a request the server would not serve, counted by status and code.</summary>
    private static IResult Refuse(InferenceServerTelemetry telemetry, int status, string code, string detail, int? retryAfterSeconds = null)
    {
        telemetry.Rejected(status, code);
        return Problems.Result(status, code, detail, retryAfterSeconds);
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
}
