using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Models;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Landslide.InferenceServer.Tests;

public sealed class BatchingTests : IDisposable
{
    private readonly TempDirectory _models = new("server-batching");

    public BatchingTests()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
    }

    public void Dispose() => _models.Dispose();

    [Fact]
    public async Task Segment_MergesConcurrentRequestsIntoOneModelCall_AndEachGetsItsOwnTiles()
    {
        GatedSegmenterLoader? gate = null;
        await using var server = await RunningServer.StartAsync(
            _models.Path,
            new Dictionary<string, string> { ["MaxBatchTiles"] = "16", ["MaxBatchWait"] = "00:00:00.050" },
            builder => builder.Services.AddSingleton<ISegmenterLoader>(sp =>
                gate = new GatedSegmenterLoader(ActivatorUtilities.CreateInstance<OnnxSegmenterLoader>(sp))));
        using var http = server.CreateClient();

        // The first request holds the model at the gate; the next four queue up behind it and must travel together.
        var blocker = SendAsync(http, tiles: 1, seed: 100);
        await gate!.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        var requests = Enumerable.Range(0, 4).Select(i => SendAsync(http, tiles: 2, seed: 200 + i)).ToArray();
        await WaitForQueuedAsync(http, queued: 4);
        gate.Gate.Release(int.MaxValue / 2);

        var first = await blocker;
        var merged = await Task.WhenAll(requests);

        Assert.Equal(1, first.BatchTiles);
        Assert.All(merged, r => Assert.Equal(8, r.BatchTiles));
        Assert.All(merged, r => Assert.Equal(4, r.BatchRequests));
        foreach (var result in merged.Append(first))
        {
            var expected = RunningServer.Expected(result.Features, result.Tiles, seed: 1);
            Assert.Equal(expected.Length, result.Probabilities.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], result.Probabilities[i], 1e-5f);
            }
        }

        // GET /metrics in the Prometheus text format: two batches, one of 1 tile and one of 8, 9 tiles in 5 requests.
        var metrics = await PrometheusScrape.GetAsync(http);
        Assert.Equal(2, metrics.Value("landslide_inference_batches_total"));
        Assert.Equal(5, metrics.Value("landslide_inference_requests_total"));
        Assert.Equal(9, metrics.Value("landslide_inference_tiles_total"));
        Assert.Equal(2, metrics.Value("landslide_inference_batch_tiles_count"));
        Assert.Equal(9, metrics.Value("landslide_inference_batch_tiles_sum"));
        Assert.Equal(1, metrics.Value("landslide_inference_batch_tiles_bucket", "le=4"));
        Assert.Equal(2, metrics.Value("landslide_inference_batch_tiles_bucket", "le=8"));
        Assert.Equal(5, metrics.Value("landslide_inference_queue_wait_seconds_count"));
        Assert.Equal(0, metrics.Value("landslide_inference_queue_requests"));
    }

    [Fact]
    public async Task Segment_Answers429WithRetryAfter_WhenTheQueueIsFull()
    {
        GatedSegmenterLoader? gate = null;
        await using var server = await RunningServer.StartAsync(
            _models.Path,
            new Dictionary<string, string> { ["QueueCapacity"] = "2", ["MaxBatchTiles"] = "1", ["MaxBatchWait"] = "00:00:00", ["RetryAfterSeconds"] = "3" },
            builder => builder.Services.AddSingleton<ISegmenterLoader>(sp =>
                gate = new GatedSegmenterLoader(ActivatorUtilities.CreateInstance<OnnxSegmenterLoader>(sp))));
        using var http = server.CreateClient();

        var running = SendAsync(http, tiles: 1, seed: 1);
        await gate!.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = new[] { SendAsync(http, tiles: 1, seed: 2), SendAsync(http, tiles: 1, seed: 3) };
        await WaitForQueuedAsync(http, queued: 2);

        using var request = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 4), 1);
        using var refused = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(InferenceProtocol.Errors.QueueFull, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(1, (await PrometheusScrape.GetAsync(http)).Value("landslide_inference_rejected_total", "status=429", $"code={InferenceProtocol.Errors.QueueFull}"));

        gate.Gate.Release(int.MaxValue / 2);
        await running;
        await Task.WhenAll(queued);
    }

    private static async Task WaitForQueuedAsync(HttpClient http, int queued)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await PrometheusScrape.GetAsync(http)).Value("landslide_inference_queue_requests") < queued)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{queued} requests did not reach the queue");
            await Task.Delay(20);
        }
    }

    private static async Task<Result> SendAsync(HttpClient http, int tiles, int seed)
    {
        var features = RunningServer.Features(tiles, seed);
        using var request = RunningServer.SegmentRequest(features, tiles);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        var probabilities = new float[body.Length / 4];
        Buffer.BlockCopy(body, 0, probabilities, 0, body.Length);
        return new Result(
            features,
            tiles,
            probabilities,
            int.Parse(response.Headers.GetValues(InferenceProtocol.BatchTilesHeader).Single(), CultureInfo.InvariantCulture),
            int.Parse(response.Headers.GetValues(InferenceProtocol.BatchRequestsHeader).Single(), CultureInfo.InvariantCulture));
    }

    private sealed record Result(float[] Features, int Tiles, float[] Probabilities, int BatchTiles, int BatchRequests);
}
