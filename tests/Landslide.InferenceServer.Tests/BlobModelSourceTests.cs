using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;

namespace Landslide.InferenceServer.Tests;

/// <summary>The blob model source against a real Azurite: container "models" with current.json and {version}/.</summary>
public sealed class BlobModelSourceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TempDirectory _work = new("server-blob");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task MovedPointer_IsServedWithTheNewVersion_WithoutDroppingRequests()
    {
        var container = await NewContainerAsync();
        await UploadModelAsync(container, 1);
        await UploadModelAsync(container, 2);
        await PointAsync(container, "v1");
        await using var server = await StartAsync(container);
        using var http = server.CreateClient();
        Assert.Equal("v1", await VersionServedAsync(http, seed: 1));

        var failures = new ConcurrentBag<HttpStatusCode>();
        var versions = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var features = RunningServer.Features(1, seed: (worker * 1000) + i);
                using var request = RunningServer.SegmentRequest(features, 1);
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add(response.StatusCode);
                    continue;
                }

                var version = response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single();
                var body = await response.Content.ReadAsByteArrayAsync();
                var probabilities = new float[body.Length / 4];
                Buffer.BlockCopy(body, 0, probabilities, 0, body.Length);
                var expected = RunningServer.Expected(features, 1, seed: version == "v1" ? 1 : 2);
                Assert.Equal(expected[123], probabilities[123], 1e-5f);
                versions.Add(version);
            }
        })).ToArray();

        await Until(() => Task.FromResult(versions.Count >= 3));
        await PointAsync(container, "v2");
        await Until(() => Task.FromResult(versions.Count(v => v == "v2") >= 5));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.Contains("v1", versions);
        var model = await http.GetFromJsonAsync<JsonElement>(new Uri("v1/model", UriKind.Relative));
        Assert.Equal("v2", model.GetProperty("version").GetString());
        Assert.True(File.Exists(Path.Combine(_work.Path, "cache", "v2", ModelManifest.ModelFileName)));
    }

    public static TheoryData<string> BrokenUploads => new() { "model-bytes-changed", "model-missing", "manifest-missing", "pointer-array", "pointer-traversal" };

    [Theory]
    [MemberData(nameof(BrokenUploads))]
    public async Task BrokenUpload_IsRefused_AndTheOldModelKeepsServing(string broken)
    {
        var container = await NewContainerAsync();
        await UploadModelAsync(container, 1);
        await PointAsync(container, "v1");
        await using var server = await StartAsync(container);
        using var http = server.CreateClient();
        Assert.Equal("v1", await VersionServedAsync(http, seed: 1));

        var counter = broken.StartsWith("pointer", StringComparison.Ordinal) ? "landslide_inference_pointers_refused_total" : "landslide_inference_models_refused_total";
        switch (broken)
        {
            case "model-bytes-changed":
                await UploadModelAsync(container, 3);
                var bytes = (await container.GetBlobClient($"v3/{ModelManifest.ModelFileName}").DownloadContentAsync()).Value.Content.ToArray();
                bytes[^5] ^= 0xff;
                await container.GetBlobClient($"v3/{ModelManifest.ModelFileName}").UploadAsync(new BinaryData(bytes), overwrite: true);
                await PointAsync(container, "v3");
                break;
            case "model-missing":
                await UploadModelAsync(container, 3);
                await container.GetBlobClient($"v3/{ModelManifest.ModelFileName}").DeleteAsync();
                await PointAsync(container, "v3");
                break;
            case "manifest-missing":
                await UploadModelAsync(container, 3);
                await container.GetBlobClient($"v3/{ModelManifest.FileName}").DeleteAsync();
                await PointAsync(container, "v3");
                break;
            case "pointer-array":
                await container.GetBlobClient("current.json").UploadAsync(BinaryData.FromString("[]"), overwrite: true);
                break;
            default:
                await container.GetBlobClient("current.json").UploadAsync(BinaryData.FromString("""{"version":"../v1"}"""), overwrite: true);
                break;
        }

        await Until(async () => (await PrometheusScrape.GetAsync(http)).Value(counter) == 1);
        Assert.Equal("v1", await VersionServedAsync(http, seed: 1));
        Assert.Equal(1, (await PrometheusScrape.GetAsync(http)).Value("landslide_inference_model_swaps_total"));

        // Nothing of the broken version reached the cache, and no partial download is left behind.
        Assert.Equal("v1", Path.GetFileName(Assert.Single(Directory.GetDirectories(Path.Combine(_work.Path, "cache")))));
    }

    [Fact]
    public async Task NoPointerYet_ReadyzIs503_UntilOneIsUploaded()
    {
        var container = await NewContainerAsync();
        await UploadModelAsync(container, 1);
        await using var server = await StartAsync(container, waitUntilReady: false);
        using var http = server.CreateClient();

        using (var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await PointAsync(container, "v1");
        await server.WaitUntilReadyAsync();
        Assert.Equal("v1", await VersionServedAsync(http, seed: 1));
    }

    [Fact]
    public async Task StorageUnreachable_ReadyzSays503WithTheReason_AndTheServerLives()
    {
        // A port nobody listens on: every poll fails; the server stays up and says why it is not ready.
        var closed = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint=http://127.0.0.1:{AzuriteFixture.FreePort()}/{AzuriteFixture.AccountName};";
        await using var server = await RunningServer.StartAsync(
            Path.Combine(_work.Path, "cache"),
            new Dictionary<string, string> { ["ModelSource"] = "Blob", ["Blob:ConnectionString"] = closed },
            waitUntilReady: false);
        using var http = server.CreateClient();

        await Until(async () =>
        {
            using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var problem = await ready.Content.ReadFromJsonAsync<JsonElement>();
            return problem.GetProperty("detail").GetString()!.Contains("could not be read", StringComparison.Ordinal);
        });
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private async Task<BlobContainerClient> NewContainerAsync()
    {
        // One container per test: the registry's name is a setting.
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"models-{Guid.NewGuid():N}"[..20]);
        await container.CreateAsync();
        return container;
    }

    /// <summary>Publishes v{seed} as the trainer does: {version}/model.onnx and {version}/manifest.json.</summary>
    private async Task UploadModelAsync(BlobContainerClient container, int seed)
    {
        var folder = RunningServer.WriteModel(Path.Combine(_work.Path, "staging"), seed);
        foreach (var file in new[] { ModelManifest.ModelFileName, ModelManifest.FileName })
        {
            await container.GetBlobClient($"v{seed}/{file}").UploadAsync(Path.Combine(folder, file), overwrite: true);
        }
    }

    private static Task PointAsync(BlobContainerClient container, string version)
        => container.GetBlobClient("current.json").UploadAsync(BinaryData.FromString($$"""{"version":"{{version}}"}"""), overwrite: true);

    private Task<RunningServer> StartAsync(BlobContainerClient container, bool waitUntilReady = true)
        => RunningServer.StartAsync(
            Path.Combine(_work.Path, "cache"),
            new Dictionary<string, string>
            {
                ["ModelSource"] = "Blob",
                ["Blob:ConnectionString"] = azurite.ConnectionString,
                ["Blob:Container"] = container.Name,
            },
            waitUntilReady: waitUntilReady);

    private static async Task<string> VersionServedAsync(HttpClient http, int seed)
    {
        var features = RunningServer.Features(1, seed: 9);
        using var request = RunningServer.SegmentRequest(features, 1);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var version = response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single();
        var body = await response.Content.ReadAsByteArrayAsync();
        var probabilities = new float[body.Length / 4];
        Buffer.BlockCopy(body, 0, probabilities, 0, body.Length);
        Assert.Equal(RunningServer.Expected(features, 1, seed)[77], probabilities[77], 1e-5f);
        return version;
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
