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

public sealed class ExtremeValueTests : IDisposable
{
    private readonly TempDirectory _models = new("server-extreme");

    public ExtremeValueTests()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
    }

    public void Dispose() => _models.Dispose();

    [Theory]
    [InlineData(3.4e38f, false)]
    [InlineData(-3.4e38f, false)]
    [InlineData(float.MaxValue, false)]
    [InlineData(2e6f, false)]
    [InlineData(-65504f, true)]
    public async Task FiniteButExtremeFeatures_Are422ValuesOutOfRange_NotNaNWith200(float value, bool float16)
    {
        await using var server = await RunningServer.StartAsync(_models.Path, new Dictionary<string, string> { ["MaxAbsFeatureValue"] = "60000" });
        using var http = server.CreateClient();
        var features = RunningServer.Features(2, seed: 4);
        features[ModelContract.FeatureValuesPerTile + (5 * ModelContract.PixelsPerTile) + 17] = value;

        using var request = RunningServer.SegmentRequest(features, 2, float16: float16);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("v1", response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("values-out-of-range", problem.GetProperty("code").GetString());
        Assert.Contains("tile 1 channel 5", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeaturesWithinTheLimit_AreAnsweredWithinZeroAndOne()
    {
        await using var server = await RunningServer.StartAsync(_models.Path);
        using var http = server.CreateClient();
        var features = RunningServer.Features(1, seed: 5);
        for (var i = 0; i < features.Length; i += 3)
        {
            features[i] = (i % 2 == 0 ? 1 : -1) * 1e6f;
        }

        using var request = RunningServer.SegmentRequest(features, 1);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        var probabilities = new float[body.Length / 4];
        Buffer.BlockCopy(body, 0, probabilities, 0, body.Length);
        Assert.All(probabilities, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public async Task ModelAnsweringNaN_Is500ProblemJson_NamingTheModel()
    {
        // With the input check opened to the whole float range, +-3.4e38 overflows the model's logits to NaN:
        // the output check is the last line, answering 500 (with X-Model-Version) instead of NaN with 200.
        await using var server = await RunningServer.StartAsync(_models.Path, new Dictionary<string, string>
        {
            ["MaxAbsFeatureValue"] = float.MaxValue.ToString("R", CultureInfo.InvariantCulture),
        });
        using var http = server.CreateClient();
        var features = new float[ModelContract.FeatureValuesPerTile];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = i / ModelContract.PixelsPerTile % 2 == 0 ? 3.4e38f : -3.4e38f;
        }

        using var request = RunningServer.SegmentRequest(features, 1);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("v1", response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid-model-output", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task FailingModelCall_Is500ProblemJson_WithXModelVersion_AndTheServerLives()
    {
        await using var server = await RunningServer.StartAsync(
            _models.Path,
            configure: builder => builder.Services.AddSingleton<ISegmenterLoader>(sp =>
                new FailingSegmenterLoader(ActivatorUtilities.CreateInstance<OnnxSegmenterLoader>(sp))));
        using var http = server.CreateClient();

        using var request = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 6), 1);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(InferenceProtocol.ProblemContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("v1", response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("internal-error", problem.GetProperty("code").GetString());
        Assert.DoesNotContain("simulated", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
