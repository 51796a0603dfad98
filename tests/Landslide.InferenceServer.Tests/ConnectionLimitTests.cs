using System.Net;
using System.Net.Sockets;
using System.Text;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;

namespace Landslide.InferenceServer.Tests;

public sealed class ConnectionLimitTests : IDisposable
{
    private readonly TempDirectory _models = new("server-connections");

    public ConnectionLimitTests()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
    }

    public void Dispose() => _models.Dispose();

    [Fact]
    public async Task ConnectionsBeyondMaxConcurrentConnections_AreClosed_UntilOneLeaves()
    {
        await using var server = await RunningServer.StartAsync(_models.Path, new Dictionary<string, string> { ["MaxConcurrentConnections"] = "1" });

        // A keep-alive caller takes the only connection: proven by an answer on it (the readiness probe's own
        // connection may still be closing, so it may take a few tries).
        TcpClient? idle = null;
        await Until(async () =>
        {
            idle?.Dispose();
            idle = new TcpClient();
            await idle.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
            return await AnswersOnAsync(idle);
        });
        using (var http = server.CreateClient())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("healthz", UriKind.Relative)));
        }

        idle!.Dispose();
        await Until(async () =>
        {
            using var http = server.CreateClient();
            try
            {
                using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
    }

    [Fact]
    public async Task HeadersDribbledPastRequestHeadersTimeout_AreCutOff()
    {
        await using var server = await RunningServer.StartAsync(_models.Path, new Dictionary<string, string> { ["RequestHeadersTimeout"] = "00:00:01" });
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n"));

        // Never finishing the headers: Kestrel answers 408 and closes the connection once the timeout passes.
        var answer = new MemoryStream();
        var buffer = new byte[1024];
        int read;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            answer.Write(buffer, 0, read);
        }

        Assert.StartsWith("HTTP/1.1 408", Encoding.ASCII.GetString(answer.ToArray()), StringComparison.Ordinal);
    }

    private static async Task<bool> AnswersOnAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
            var buffer = new byte[1024];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(50);
        }
    }
}
