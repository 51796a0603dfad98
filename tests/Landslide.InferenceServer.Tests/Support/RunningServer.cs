using System.Globalization;
using System.Net.Http.Headers;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer;
using Landslide.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace Landslide.InferenceServer.Tests.Support;

/// <summary>The real inference service on 127.0.0.1 (random port unless given), over a temp models folder.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    public const string ApiKey = "test-key-not-a-secret-0123456789abcdef";

    private RunningServer(WebApplication app, Uri baseAddress, string modelsRoot)
    {
        App = app;
        BaseAddress = baseAddress;
        ModelsRoot = modelsRoot;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public string ModelsRoot { get; }

    /// <summary>Weights of the per-pixel test model written as version <c>v{seed}</c>.</summary>
    public static (float[] Weights, float[] Bias) Weights(int seed) => TinyOnnxModels.RandomPerPixelWeights(seed);

    /// <summary>Writes models/v{seed}/ holding the per-pixel model with <see cref="Weights"/>(seed).</summary>
    public static string WriteModel(string modelsRoot, int seed)
    {
        var (w, b) = Weights(seed);
        return TinyOnnxModels.WriteVersionFolder(modelsRoot, $"v{seed}", TinyOnnxModels.PerPixel(w, b));
    }

    /// <summary>Points current.json at a version, replacing the file in one step as a promotion would.</summary>
    public static void Point(string modelsRoot, string version)
    {
        var temp = Path.Combine(modelsRoot, $"current.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, $$"""{"version":"{{version}}"}""");
        File.Move(temp, Path.Combine(modelsRoot, "current.json"), overwrite: true);
    }

    public static async Task<RunningServer> StartAsync(
        string modelsRoot,
        IReadOnlyDictionary<string, string>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        int port = 0,
        bool waitUntilReady = true)
    {
        var all = new Dictionary<string, string>
        {
            ["ModelsRoot"] = modelsRoot,
            ["ApiKeys:0"] = ApiKey,
            ["ModelPollInterval"] = "00:00:00.100",
            ["PreferCuda"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        string[] args =
        [
            "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
            "--Logging:LogLevel:Default=Warning",
            .. all.Select(kv => $"--{InferenceServerOptions.SectionName}:{kv.Key}={kv.Value}"),
        ];
        var app = InferenceServerApp.Build(args, configure);
        await app.StartAsync().ConfigureAwait(false);
        var server = new RunningServer(app, new Uri(app.Urls.First() + "/"), modelsRoot);
        if (waitUntilReady)
        {
            await server.WaitUntilReadyAsync().ConfigureAwait(false);
        }

        return server;
    }

    public HttpClient CreateClient(bool withKey = true)
    {
        // A long Expect: 100-continue wait: requests refused from their headers never upload their body,
        // even when a busy test machine is slow to answer.
        var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) };
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (withKey)
        {
            http.DefaultRequestHeaders.Add(InferenceProtocol.ApiKeyHeader, ApiKey);
        }

        return http;
    }

    public async Task WaitUntilReadyAsync()
    {
        using var http = CreateClient(withKey: false);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync(new Uri(InferenceProtocol.ReadyPath.TrimStart('/'), UriKind.Relative)).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the inference server did not become ready in 30 s");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>A raw POST /v1/segment with float32 or float16 features and the headers of the protocol.</summary>
    public static HttpRequestMessage SegmentRequest(float[] features, int tiles, bool float16 = false, string output = InferenceProtocol.Float32)
    {
        byte[] body;
        if (float16)
        {
            body = new byte[features.Length * 2];
            System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(features, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(body.AsSpan()));
        }
        else
        {
            body = new byte[features.Length * 4];
            Buffer.BlockCopy(features, 0, body, 0, body.Length);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, InferenceProtocol.SegmentPath.TrimStart('/'))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(InferenceProtocol.TensorContentType);
        request.Headers.Add(InferenceProtocol.ShapeHeader, string.Create(CultureInfo.InvariantCulture, $"{tiles},23,128,128"));
        request.Headers.Add(InferenceProtocol.TypeHeader, float16 ? InferenceProtocol.Float16 : InferenceProtocol.Float32);
        request.Headers.Add(InferenceProtocol.OutputTypeHeader, output);
        return request;
    }

    /// <summary>Deterministic features in [0, 2) for <paramref name="tiles"/> tiles.</summary>
    public static float[] Features(int tiles, int seed)
    {
        var random = new Random(seed);
        var features = new float[tiles * ModelContract.FeatureValuesPerTile];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)(random.NextDouble() * 2);
        }

        return features;
    }

    /// <summary>What the per-pixel model v{seed} must answer, computed by hand.</summary>
    public static float[] Expected(float[] features, int tiles, int seed)
    {
        var (w, b) = Weights(seed);
        var expected = new float[tiles * ModelContract.PixelsPerTile];
        TinyOnnxModels.PerPixelReference(features, tiles, w, b, expected);
        return expected;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
