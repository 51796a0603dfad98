using System.Collections.Concurrent;
using System.Globalization;
using Landslide.Core.Segmentation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Landslide.Inference.Client.Tests.Support;

/// <summary>What the server does to the next POST /v1/segment instead of answering it properly.</summary>
internal enum Fault
{
    Unavailable503,
    TooMany429,
    Slow,
    DropMidResponse,
}

/// <summary>
/// Makes the real inference server misbehave on purpose: a middleware in front of everything that plays a script
/// of faults on POST /v1/segment, then lets requests through to the real endpoint.
/// </summary>
internal sealed class FaultInjector : IStartupFilter
{
    private int _segmentRequests;

    public ConcurrentQueue<Fault> Script { get; } = new();

    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(5);

    public int RetryAfterSeconds { get; init; }

    /// <summary>POST /v1/segment requests seen, faulted ones included.</summary>
    public int SegmentRequests => Volatile.Read(ref _segmentRequests);

    /// <summary>Called with the running count after each segment request arrives.</summary>
    public Action<int>? OnSegmentRequest { get; set; }

    public void Enqueue(Fault fault, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Script.Enqueue(fault);
        }
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, proceed) =>
        {
            if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != InferenceProtocol.SegmentPath)
            {
                await proceed(context);
                return;
            }

            // Counted outside the ?. call: its argument is not evaluated when nobody listens.
            var seen = Interlocked.Increment(ref _segmentRequests);
            OnSegmentRequest?.Invoke(seen);

            // Read the whole request first, as a server failing behind its front door would; answering before the
            // upload ends would break the client's pipe instead of showing it the fault.
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            body.Position = 0;
            context.Request.Body = body;
            if (!Script.TryDequeue(out var fault))
            {
                await proceed(context);
                return;
            }

            switch (fault)
            {
                case Fault.Unavailable503:
                case Fault.TooMany429:
                    context.Response.StatusCode = fault == Fault.TooMany429 ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    return;
                case Fault.Slow:
                    try
                    {
                        await Task.Delay(SlowDelay, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    await proceed(context);
                    return;
                case Fault.DropMidResponse:
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = InferenceProtocol.TensorContentType;
                    context.Response.ContentLength = 100_000;
                    await context.Response.Body.WriteAsync(new byte[1000]);
                    await context.Response.Body.FlushAsync();
                    context.Abort();
                    return;
            }
        });
        next(app);
    };
}
