using System.Collections.Concurrent;
using System.Net;

namespace Landslide.TestSupport;

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 that records every POST (headers and body). It answers 500 to the first
/// <see cref="FailFirst"/> requests (or to all while <see cref="AlwaysFail"/> is set), then 200.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly Task _loop;
    private int _attempts;

    public WebhookReceiver()
    {
        var port = AzuriteFixture.FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public int FailFirst { get; set; }

    public bool AlwaysFail { get; set; }

    /// <summary>Every request, failed ones included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Requests answered 200, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Delivered => [.. _received];

    public async Task<IReadOnlyList<ReceivedRequest>> WaitForDeliveriesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        return Delivered;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener; how it ends does not matter.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            var attempt = Interlocked.Increment(ref _attempts);
            var fail = AlwaysFail || attempt <= FailFirst;
            if (!fail)
            {
                var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                    .ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
                _received.Enqueue(new ReceivedRequest(headers, body.ToArray()));
            }

            context.Response.StatusCode = fail ? 500 : 200;
            context.Response.Close();
        }
    }
}
