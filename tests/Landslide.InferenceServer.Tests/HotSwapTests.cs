using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;

namespace Landslide.InferenceServer.Tests;

public sealed class HotSwapTests : IDisposable
{
    private readonly TempDirectory _models = new("server-swap");

    public void Dispose() => _models.Dispose();

    [Fact]
    public async Task HotSwap_UnderLoad_LosesNoRequest_AndEachAnswerMatchesTheModelItNames()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.WriteModel(_models.Path, 2);
        RunningServer.Point(_models.Path, "v1");
        await using var server = await RunningServer.StartAsync(_models.Path, new Dictionary<string, string> { ["MaxBatchWait"] = "00:00:00.002" });
        using var http = server.CreateClient();
        var answers = new ConcurrentBag<(string Version, float[] Features, float[] Probabilities)>();
        var failures = new ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();

        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var features = RunningServer.Features(2, seed: (worker * 1000) + i);
                using var request = RunningServer.SegmentRequest(features, 2);
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add(response.StatusCode);
                    continue;
                }

                var body = await response.Content.ReadAsByteArrayAsync();
                var probabilities = new float[body.Length / 4];
                Buffer.BlockCopy(body, 0, probabilities, 0, body.Length);
                answers.Add((response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single(), features, probabilities));
            }
        })).ToArray();

        await WaitUntilAsync(() => answers.Count >= 10);
        RunningServer.Point(_models.Path, "v2");
        await WaitUntilAsync(() => answers.Count(a => a.Version == "v2") >= 10);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.Contains(answers, a => a.Version == "v1");
        foreach (var (version, features, probabilities) in answers)
        {
            var expected = RunningServer.Expected(features, 2, seed: version == "v1" ? 1 : 2);
            for (var i = 0; i < expected.Length; i += 97)
            {
                Assert.Equal(expected[i], probabilities[i], 1e-5f);
            }
        }
    }

    public static TheoryData<string> BrokenModels => new() { "wrong-channels", "sha256-mismatch", "not-onnx", "missing-folder", "pointer-garbage" };

    [Theory]
    [MemberData(nameof(BrokenModels))]
    public async Task HotSwap_RefusesAModelThatBreaksTheContract_AndKeepsServingTheOldOne(string broken)
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
        await using var server = await RunningServer.StartAsync(_models.Path);
        using var http = server.CreateClient();

        switch (broken)
        {
            case "wrong-channels":
                TinyOnnxModels.WriteVersionFolder(_models.Path, "bad", TinyOnnxModels.WrongChannelCount());
                break;
            case "sha256-mismatch":
                TinyOnnxModels.WriteVersionFolder(_models.Path, "bad", TinyOnnxModels.PerPixel(RunningServer.Weights(3).Weights, RunningServer.Weights(3).Bias), sha256: new string('0', 64));
                break;
            case "not-onnx":
                var folder = TinyOnnxModels.WriteVersionFolder(_models.Path, "bad", TinyOnnxModels.PerPixel(RunningServer.Weights(3).Weights, RunningServer.Weights(3).Bias));
                File.WriteAllText(Path.Combine(folder, ModelManifest.ModelFileName), "not a model");
                break;
        }

        if (broken == "pointer-garbage")
        {
            File.WriteAllText(Path.Combine(_models.Path, "current.json"), "{ this is not json");
        }
        else
        {
            RunningServer.Point(_models.Path, "bad");
        }

        // Refusals are counted; a garbled pointer is only logged, so give it a few polls.
        if (broken == "pointer-garbage")
        {
            await Task.Delay(500);
        }
        else
        {
            await WaitUntilAsync(async () => (await PrometheusScrape.GetAsync(http)).Value("landslide_inference_models_refused_total") >= 1);
        }

        var features = RunningServer.Features(1, seed: 11);
        using var request = RunningServer.SegmentRequest(features, 1);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
        var model = await http.GetFromJsonAsync<JsonElement>(new Uri("v1/model", UriKind.Relative));
        Assert.Equal("v1", model.GetProperty("version").GetString());
        Assert.Equal(1, (await PrometheusScrape.GetAsync(http)).Value("landslide_inference_model_swaps_total"));
    }

    [Fact]
    public async Task Readyz_Is503UntilAModelIsPromoted_ThenServes()
    {
        RunningServer.WriteModel(_models.Path, 1);
        await using var server = await RunningServer.StartAsync(_models.Path, waitUntilReady: false);
        using var http = server.CreateClient();

        using var notReady = await http.GetAsync(new Uri("readyz", UriKind.Relative));
        using var early = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 1), 1);
        using var refused = await http.SendAsync(early);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("none", refused.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());

        RunningServer.Point(_models.Path, "v1");
        await server.WaitUntilReadyAsync();
        using var later = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 1), 1);
        using var served = await http.SendAsync(later);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 60 s");
            await Task.Delay(25);
        }
    }
}
