using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Admission;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;

namespace Landslide.InferenceServer.Tests;

public sealed class MemoryBudgetTests : IDisposable
{
    private const int MaxTiles = 4;

    // The memory-budget gauge of GET /metrics (Prometheus text): request-buffer bytes reserved now.
    private const string InUse = "landslide_inference_memory_in_use_bytes";
    private readonly TempDirectory _models = new("server-budget");

    public MemoryBudgetTests()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
    }

    public void Dispose() => _models.Dispose();

    [Fact]
    public async Task SlowUploads_HoldNoMoreThanTheBudget_AndTheNextRequestIs503WithRetryAfter()
    {
        // Room for two maximal requests and not one byte for a third, however small.
        var budget = (2 * MemoryBudget.BytesFor(MaxTiles)) + MemoryBudget.BytesFor(1) - 1;
        await using var server = await RunningServer.StartAsync(_models.Path, new Dictionary<string, string>
        {
            ["MaxTilesPerRequest"] = $"{MaxTiles}",
            ["MaxBufferedBytes"] = budget.ToString(CultureInfo.InvariantCulture),
        });
        using var http = server.CreateClient();

        // Two callers announce maximal bodies and then trickle: each is admitted and holds its reservation.
        using var slow1 = await StartSlowUploadAsync(server.BaseAddress, MaxTiles);
        using var slow2 = await StartSlowUploadAsync(server.BaseAddress, MaxTiles);
        await Until(async () => (await PrometheusScrape.GetAsync(http)).Value(InUse) == 2 * MemoryBudget.BytesFor(MaxTiles));

        using (var request = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 1), 1))
        using (var refused = await http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(InferenceProtocol.ProblemContentType, refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("v1", refused.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("memory-budget", problem.GetProperty("code").GetString());
        }

        var metrics = await PrometheusScrape.GetAsync(http);
        Assert.Equal(1, metrics.Value("landslide_inference_rejected_total", "status=503", "code=memory-budget"));
        Assert.Equal(2 * MemoryBudget.BytesFor(MaxTiles), metrics.Value(InUse));
        Assert.Equal(budget, metrics.Value("landslide_inference_memory_limit_bytes"));

        // The slow callers leave: their reservations come back and the server serves again.
        slow1.Dispose();
        slow2.Dispose();
        await Until(async () => (await PrometheusScrape.GetAsync(http)).Value(InUse) == 0);
        using var again = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 1), 1);
        using var served = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task UploadSlowerThanTheMinimumRate_IsCutOff_AndItsBuffersComeBack()
    {
        await using var server = await RunningServer.StartAsync(_models.Path, new Dictionary<string, string>
        {
            ["MaxTilesPerRequest"] = $"{MaxTiles}",
            ["MinRequestBodyBytesPerSecond"] = "1000000",
        });
        using var http = server.CreateClient();

        using var slow = await StartSlowUploadAsync(server.BaseAddress, MaxTiles);
        await Until(async () => (await PrometheusScrape.GetAsync(http)).Value(InUse) > 0);

        // Kestrel's grace period is 5 s; then the trickle is far below 1 MB/s and the request is aborted.
        await Until(async () => (await PrometheusScrape.GetAsync(http)).Value(InUse) == 0);
        var buffer = new byte[4096];
        var read = 1;
        try
        {
            // The server answered 408 and/or closed the connection: reading reaches the end.
            while (read > 0)
            {
                read = await slow.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (IOException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
    }

    /// <summary>A raw POST that sends its headers and 64 KiB of a <paramref name="tiles"/>-tile float32 body, then stops.</summary>
    private static async Task<TcpClient> StartSlowUploadAsync(Uri baseAddress, int tiles)
    {
        var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var length = (long)tiles * ModelContract.FeatureValuesPerTile * sizeof(float);
        var head = string.Create(CultureInfo.InvariantCulture, $"POST {InferenceProtocol.SegmentPath} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\n{InferenceProtocol.ApiKeyHeader}: {RunningServer.ApiKey}\r\nContent-Type: {InferenceProtocol.TensorContentType}\r\nContent-Length: {length}\r\n{InferenceProtocol.ShapeHeader}: {tiles},23,128,128\r\n{InferenceProtocol.TypeHeader}: {InferenceProtocol.Float32}\r\n\r\n");
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(new byte[64 * 1024]);
        await stream.FlushAsync();
        return client;
    }


    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 60 s");
            await Task.Delay(50);
        }
    }
}
