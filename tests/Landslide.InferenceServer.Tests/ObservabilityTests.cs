using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Telemetry;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;

namespace Landslide.InferenceServer.Tests;

/// <summary>The health-check endpoints' contract, the server's OpenTelemetry instruments and their Prometheus scrape, on a real server.</summary>
public sealed class ObservabilityTests : IDisposable
{
    // An odd request size no other test sends: an in-process MeterListener hears every server's meter of that name.
    private const int Tiles = 13;
    private readonly TempDirectory _models = new("server-observability");

    public void Dispose() => _models.Dispose();

    [Fact]
    public async Task Readyz_Is503WithTheReasonBeforeAModel_ThenReadyWithVersion_WhileHealthzIsOkThroughout()
    {
        RunningServer.WriteModel(_models.Path, 1);
        await File.WriteAllTextAsync(Path.Combine(_models.Path, "current.json"), """{"version":"../x"}""");
        await using var server = await RunningServer.StartAsync(_models.Path, waitUntilReady: false);
        using var http = server.CreateClient(withKey: false);

        JsonElement problem = default;
        for (var i = 0; i < 200; i++)
        {
            using var notReady = await http.GetAsync(new Uri("readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Equal(InferenceProtocol.ProblemContentType, notReady.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(notReady.Headers.RetryAfter);
            problem = await notReady.Content.ReadFromJsonAsync<JsonElement>();
            if (problem.GetProperty("detail").GetString()!.Contains("not a plain folder name", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Equal(InferenceProtocol.Errors.NotReady, problem.GetProperty("code").GetString());
        Assert.StartsWith("No model is loaded and warmed up yet: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("not a plain folder name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using (var health = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("ok", await health.Content.ReadAsStringAsync());
        }

        RunningServer.Point(_models.Path, "v1");
        await server.WaitUntilReadyAsync();
        using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("v1", body.GetProperty("version").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("provider").GetString()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("problem").ValueKind);
    }

    [Fact]
    public async Task ServingARequest_RecordsTilesBatchSizeQueueWaitAndTheModelSwap_OnTheServersMeter()
    {
        var longs = new ConcurrentBag<(string Instrument, long Value)>();
        var waits = new ConcurrentBag<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == InferenceServerTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => longs.Add((instrument.Name, value)));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "landslide.inference.queue.wait")
            {
                waits.Add(value);
            }
        });
        listener.Start();

        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
        await using var server = await RunningServer.StartAsync(_models.Path);
        using var http = server.CreateClient();
        using var request = RunningServer.SegmentRequest(RunningServer.Features(Tiles, seed: 5), Tiles);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Contains(("landslide.inference.tiles", (long)Tiles), longs);
        Assert.Contains(("landslide.inference.batch.tiles", (long)Tiles), longs);
        Assert.Contains(longs, m => m.Instrument == "landslide.inference.model.swaps" && m.Value == 1);
        Assert.Contains(longs, m => m.Instrument == "landslide.inference.batches");
        Assert.NotEmpty(waits);
        Assert.All(waits, w => Assert.InRange(w, 0, 60));
    }

    [Fact]
    public async Task Metrics_IsThePrometheusTextOfThisServersMeter_AndMovesWithRequests()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
        await using var server = await RunningServer.StartAsync(_models.Path);
        await using var other = await RunningServer.StartAsync(_models.Path);
        using var http = server.CreateClient();
        using var otherHttp = other.CreateClient();

        using (var anonymous = server.CreateClient(withKey: false))
        using (var refused = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var before = await PrometheusScrape.GetAsync(http);
        Assert.Contains("# TYPE landslide_inference_model_swaps_total counter", before.Text, StringComparison.Ordinal);
        Assert.Equal(1, before.Value("target_info", $"service_name={ServerTelemetryExporters.ServiceName}"));
        Assert.Equal(1, before.Value("landslide_inference_model_swaps_total"));
        Assert.Equal(0, before.Value("landslide_inference_requests_total"));
        Assert.Equal(0, before.Value("landslide_inference_memory_in_use_bytes"));

        for (var i = 0; i < 3; i++)
        {
            using var request = RunningServer.SegmentRequest(RunningServer.Features(2, seed: i), 2);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var bad = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 1), 1))
        {
            bad.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
            using var refused = await http.SendAsync(bad);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        }

        var after = await PrometheusScrape.GetAsync(http);
        Assert.Equal(3, after.Value("landslide_inference_requests_total"));
        Assert.Equal(6, after.Value("landslide_inference_tiles_total"));
        Assert.Equal(after.Value("landslide_inference_batches_total"), after.Value("landslide_inference_batch_tiles_count"));
        Assert.Equal(6, after.Value("landslide_inference_batch_tiles_sum"));
        Assert.Equal(3, after.Value("landslide_inference_queue_wait_seconds_count"));
        Assert.Equal(1, after.Value("landslide_inference_rejected_total", "status=415", $"code={InferenceProtocol.Errors.UnsupportedMediaType}"));
        Assert.Equal(0, after.Value("landslide_inference_memory_in_use_bytes"));
        Assert.True(after.Value("landslide_inference_memory_limit_bytes") > 0);

        // ASP.NET Core's own request metrics come with them.
        Assert.True(after.Has("http_server_request_duration_seconds_count"), after.Text);

        // The other server in this process counted none of it.
        var untouched = await PrometheusScrape.GetAsync(otherHttp);
        Assert.Equal(0, untouched.Value("landslide_inference_requests_total"));
        Assert.Equal(0, untouched.Value("landslide_inference_rejected_total"));
        Assert.Equal(1, untouched.Value("landslide_inference_model_swaps_total"));
    }
}
