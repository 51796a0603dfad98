using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.Inference;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;

namespace Landslide.InferenceServer.Tests;

public sealed class SegmentEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _models = new("server-models");
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
        _server = await RunningServer.StartAsync(_models.Path, new Dictionary<string, string> { ["MaxTilesPerRequest"] = "4" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _models.Dispose();
    }

    [Fact]
    public async Task Segment_Float32_MatchesTheInProcessSegmenter()
    {
        const int tiles = 3;
        var features = RunningServer.Features(tiles, seed: 7);
        using var http = _server.CreateClient();
        using var request = RunningServer.SegmentRequest(features, tiles);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
        Assert.Equal("3,1,128,128", response.Headers.GetValues(InferenceProtocol.ShapeHeader).Single());
        Assert.Equal(InferenceProtocol.Float32, response.Headers.GetValues(InferenceProtocol.TypeHeader).Single());
        var body = await response.Content.ReadAsByteArrayAsync();
        var actual = new float[tiles * ModelContract.PixelsPerTile];
        Assert.Equal(actual.Length * 4, body.Length);
        Buffer.BlockCopy(body, 0, actual, 0, body.Length);

        using var local = OnnxSegmenter.Open(new InferenceOptions { ModelPath = Path.Combine(_models.Path, "v1") });
        var expected = new float[actual.Length];
        await local.SegmentAsync(features, expected, tiles, CancellationToken.None);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Segment_Float16InUInt8Out_IsWithinQuantisationOfTheModel()
    {
        const int tiles = 2;
        var features = RunningServer.Features(tiles, seed: 8);
        using var http = _server.CreateClient();
        using var request = RunningServer.SegmentRequest(features, tiles, float16: true, output: InferenceProtocol.UInt8);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(InferenceProtocol.UInt8, response.Headers.GetValues(InferenceProtocol.TypeHeader).Single());
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(tiles * ModelContract.PixelsPerTile, body.Length);
        var expected = RunningServer.Expected(features, tiles, seed: 1);
        var worst = 0.0;
        for (var i = 0; i < body.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((body[i] / 255.0) - expected[i]));
        }

        // Half a quantisation step plus what float16 rounding of the inputs moves a logit.
        Assert.InRange(worst, 0, 0.5 / 255 + 0.01);
    }

    public static TheoryData<string, int, string> BadRequests => new()
    {
        { "content-type", 415, InferenceProtocol.Errors.UnsupportedMediaType },
        { "input-type", 400, InferenceProtocol.Errors.InvalidType },
        { "output-type", 400, InferenceProtocol.Errors.InvalidType },
        { "shape-channels", 400, InferenceProtocol.Errors.InvalidShape },
        { "shape-garbage", 400, InferenceProtocol.Errors.InvalidShape },
        { "shape-zero-tiles", 400, InferenceProtocol.Errors.InvalidShape },
        { "declared-vs-actual-length", 400, InferenceProtocol.Errors.LengthMismatch },
        { "too-many-tiles", 413, InferenceProtocol.Errors.TooManyTiles },
        { "nan", 422, InferenceProtocol.Errors.NonFiniteValues },
        { "infinity-float16", 422, InferenceProtocol.Errors.NonFiniteValues },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Segment_RefusesBadRequest_WithItsSpecificProblem(string fault, int status, string code)
    {
        var tiles = fault == "too-many-tiles" ? 5 : 1;
        var features = RunningServer.Features(tiles, seed: 3);
        if (fault == "nan")
        {
            features[ModelContract.PixelsPerTile * 5 + 17] = float.NaN;
        }

        if (fault == "infinity-float16")
        {
            features[100] = 1e6f; // beyond float16's range: becomes +inf on the wire
        }

        using var http = _server.CreateClient();
        using var request = RunningServer.SegmentRequest(features, tiles, float16: fault is "infinity-float16" or "too-many-tiles");

        // As a careful client would: the server can refuse from the headers before any body is sent.
        request.Headers.ExpectContinue = true;
        switch (fault)
        {
            case "content-type":
                request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                break;
            case "input-type":
                Replace(request, InferenceProtocol.TypeHeader, "float64");
                break;
            case "output-type":
                Replace(request, InferenceProtocol.OutputTypeHeader, "int8");
                break;
            case "shape-channels":
                Replace(request, InferenceProtocol.ShapeHeader, "1,14,128,128");
                break;
            case "shape-garbage":
                Replace(request, InferenceProtocol.ShapeHeader, "[1, 23, 128, 128]");
                break;
            case "shape-zero-tiles":
                Replace(request, InferenceProtocol.ShapeHeader, "0,23,128,128");
                break;
            case "declared-vs-actual-length":
                Replace(request, InferenceProtocol.ShapeHeader, "2,23,128,128");
                break;
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(InferenceProtocol.ProblemContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("v1", response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Segment_RefusesOversizeBody_BeforeReadingIt()
    {
        using var http = _server.CreateClient();
        var content = new CountingContent(length: 64L * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/segment") { Content = content };
        request.Headers.ExpectContinue = true;
        request.Headers.Add(InferenceProtocol.ShapeHeader, "4,23,128,128");
        request.Headers.Add(InferenceProtocol.TypeHeader, InferenceProtocol.Float32);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(InferenceProtocol.Errors.BodyTooLarge, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(0, content.BytesWritten);
    }

    [Fact]
    public async Task Segment_Answers411_WithoutContentLength()
    {
        using var http = _server.CreateClient();
        var features = RunningServer.Features(1, seed: 4);
        using var request = RunningServer.SegmentRequest(features, 1);
        request.Content = new StreamContent(new MemoryStream(await request.Content!.ReadAsByteArrayAsync()));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(InferenceProtocol.TensorContentType);
        request.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.LengthRequired, response.StatusCode);
    }

    [Fact]
    public async Task Segment_Returns401_WithoutKey()
    {
        using var http = _server.CreateClient(withKey: false);
        using var request = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 5), 1);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(InferenceProtocol.Errors.Unauthorized, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal("v1", response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("test-key-not-a-secreT")]
    [InlineData("test-key-not-a-secret-and-more")]
    public async Task Segment_Returns401_WithWrongKey(string key)
    {
        using var http = _server.CreateClient(withKey: false);
        http.DefaultRequestHeaders.Add(InferenceProtocol.ApiKeyHeader, key);

        using var response = await http.GetAsync(new Uri("v1/model", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Model_DescribesTheServingModel()
    {
        using var http = _server.CreateClient();

        var model = await http.GetFromJsonAsync<JsonElement>(new Uri("v1/model", UriKind.Relative));

        var manifest = JsonSerializer.Deserialize<ModelManifest>(await File.ReadAllTextAsync(Path.Combine(_models.Path, "v1", ModelManifest.FileName)))!;
        Assert.Equal("v1", model.GetProperty("version").GetString());
        Assert.Equal(manifest.Sha256, model.GetProperty("sha256").GetString());
        Assert.Equal(OnnxSegmenter.CpuProvider, model.GetProperty("provider").GetString());
        Assert.Equal(4, model.GetProperty("maxTilesPerRequest").GetInt32());
        Assert.Equal(ModelContract.FeatureVersion, model.GetProperty("featureVersion").GetString());
    }

    [Fact]
    public async Task HealthAndReady_AnswerWithoutKey()
    {
        using var http = _server.CreateClient(withKey: false);

        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("v1", ready.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
    }

    private static void Replace(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove(header);
        request.Headers.Add(header, value);
    }

    /// <summary>A body that would be huge, and counts what the client actually sent of it.</summary>
    private sealed class CountingContent : HttpContent
    {
        private readonly long _length;

        public CountingContent(long length)
        {
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue(InferenceProtocol.TensorContentType);
        }

        public long BytesWritten { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[81920];
            for (long sent = 0; sent < _length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
                BytesWritten += chunk.Length;
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}
