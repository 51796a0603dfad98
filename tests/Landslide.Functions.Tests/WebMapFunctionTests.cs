using System.Text;
using System.Text.Json;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;
using Landslide.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Landslide.Functions.Tests;

/// <summary>The web map's HTTP functions on Azurite: the runs table and results/ as the pipeline leaves them.</summary>
public sealed class WebMapFunctionTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private PipelineStorage _storage = null!;
    private WebMapFunction _function = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        await _storage.EnsureCreatedAsync(CancellationToken.None);
        _function = new WebMapFunction(new RunCatalog(_storage));
        _services = new ServiceCollection().AddLogging().BuildServiceProvider();

        var runs = new RunStore(_storage);
        await runs.TryAddAsync(
            new RunEntity
            {
                PartitionKey = "run-1", Scene = "nepal", BlobName = "nepal.tif", Status = RunStatus.Completed, ModelVersion = "v7", ChunkCount = 2,
                ChunksDone = "11", Polygons = 3, LandslideAreaM2 = 4200, CreatedAt = DateTimeOffset.UtcNow,
            },
            CancellationToken.None);
        await runs.SetLatestAsync("nepal", "run-1", "etag", CancellationToken.None);
        await _storage.Container(StorageNames.ResultsContainer).GetBlobClient("nepal/probability.tif")
            .UploadAsync(BinaryData.FromBytes(Payload()), overwrite: true);

        // A registry model with its training plots, as `landslide train --registry` leaves it.
        var models = _storage.Blobs.GetBlobContainerClient("models");
        await models.CreateIfNotExistsAsync();
        await models.GetBlobClient("v7/manifest.json").UploadAsync(BinaryData.FromString("""
            {"version":"v7","sha256":"00","feature_version":"l4s-23.v1","threshold":0.6,
             "input":{"name":"features","shape":[-1,23,128,128]},"output":{"name":"probability","shape":[-1,1,128,128]},
             "metrics":{"evaluated_on":"holdout","f1":0.61},"plots":["plot-loss.png","../secret.png"]}
            """), overwrite: true);
        await models.GetBlobClient("v7/plot-loss.png").UploadAsync(BinaryData.FromBytes(Payload()), overwrite: true);
        await models.GetBlobClient("current.json").UploadAsync(BinaryData.FromString("""{"version":"v7"}"""), overwrite: true);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task WebRuns_ListsTheRunsTable_AsTheServePageDoes()
    {
        var (status, body, _) = await ExecuteAsync(await _function.WebRuns(Request(), CancellationToken.None));
        Assert.Equal(200, status);
        var run = Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray());
        Assert.Equal("nepal", run.GetProperty("scene").GetString());
        Assert.Equal(3, run.GetProperty("polygons").GetInt32());
        Assert.Equal(2, run.GetProperty("chunks_done").GetInt32());
    }

    [Fact]
    public async Task WebOutput_ReadsResultsBlob_HonouringRange()
    {
        var request = Request();
        request.Headers.Range = "bytes=100-199";
        var (status, body, headers) = await ExecuteAsync(await _function.WebOutput(request, "nepal", "probability.tif"), request.HttpContext);
        Assert.Equal(206, status);
        Assert.Equal($"bytes 100-199/{Payload().Length}", headers.ContentRange.ToString());
        Assert.Equal(Payload().AsSpan(100, 100).ToArray(), Encoding.Latin1.GetBytes(body));
    }

    [Fact]
    public async Task WebModels_ListsRegistryModels_WithTheirPlots_WhichAreServed()
    {
        var (_, body, _) = await ExecuteAsync(await _function.WebModels(Request(), CancellationToken.None));
        var model = Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray());
        Assert.Equal("v7", model.GetProperty("version").GetString());
        Assert.True(model.GetProperty("promoted").GetBoolean());
        Assert.Equal(0.61, model.GetProperty("metrics").GetProperty("f1").GetDouble());
        var plot = Assert.Single(model.GetProperty("plots").EnumerateArray()).GetString();
        Assert.Equal("models/v7/plots/plot-loss.png", plot);

        var request = Request();
        var (status, png, headers) = await ExecuteAsync(await _function.WebModelPlot(request, "v7", "plot-loss.png"), request.HttpContext);
        Assert.Equal(200, status);
        Assert.Equal("image/png", headers.ContentType);
        Assert.Equal(Payload(), Encoding.Latin1.GetBytes(png));
    }

    [Fact]
    public async Task WebOutput_RefusesNamesThatAreNotOutputs()
    {
        var request = Request();
        var (status, _, _) = await ExecuteAsync(await _function.WebOutput(request, "nepal", "../scenes/nepal.tif"), request.HttpContext);
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task WebPages_AndTheBundle_AreServedFromTheAssembly()
    {
        var (_, page, _) = await ExecuteAsync(_function.WebRunPage(Request(), "nepal"));
        Assert.Contains("<base href=\"../\">", page, StringComparison.Ordinal);
        var (status, script, headers) = await ExecuteAsync(_function.WebAsset(Request(), "app.js"));
        Assert.Equal(200, status);
        Assert.StartsWith("text/javascript", headers.ContentType, StringComparison.Ordinal);
        Assert.True(script.Length > 100_000);
    }

    private static byte[] Payload() => [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))];

    private HttpRequest Request()
    {
        var request = new DefaultHttpContext { RequestServices = _services }.Request;
        request.Method = HttpMethods.Get;
        return request;
    }

    private async Task<(int Status, string Body, IHeaderDictionary Headers)> ExecuteAsync(IResult result, HttpContext? context = null)
    {
        context ??= new DefaultHttpContext { RequestServices = _services };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, Encoding.Latin1.GetString(body.ToArray()), context.Response.Headers);
    }
}
