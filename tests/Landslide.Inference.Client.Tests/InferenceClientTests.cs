using System.Diagnostics;
using Landslide.Core.Segmentation;
using Landslide.Inference.Client.Tests.Support;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Landslide.Inference.Client.Tests;

public sealed class InferenceClientTests : IAsyncLifetime
{
    private readonly TempDirectory _models = new("client-models");
    private readonly FaultInjector _faults = new();
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
        _server = await RunningServer.StartAsync(
            _models.Path,
            new Dictionary<string, string> { ["MaxTilesPerRequest"] = "8" },
            builder => builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(_faults));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _models.Dispose();
    }

    [Fact]
    public async Task Segment_SplitsALargeCall_AndEveryTileComesBackInOrder()
    {
        const int tiles = 37;
        var features = RunningServer.Features(tiles, seed: 21);
        using var services = ClientFactory.Services(_server.BaseAddress, o =>
        {
            o.MaxTilesPerRequest = 8;
            o.SendFloat16 = false;
            o.ReceiveFloat32 = true;
        });
        var client = services.GetRequiredService<InferenceClient>();
        var remote = new float[tiles * ModelContract.PixelsPerTile];

        await client.SegmentAsync(features, remote, tiles, CancellationToken.None);

        using var local = OnnxSegmenter.Open(new InferenceOptions { ModelPath = Path.Combine(_models.Path, "v1") });
        var expected = new float[remote.Length];
        await local.SegmentAsync(features, expected, tiles, CancellationToken.None);
        Assert.Equal(expected, remote);
        Assert.Equal(5, _faults.SegmentRequests);
        Assert.Equal("v1", client.Model.Version);
        Assert.Equal(local.Model.Sha256, client.Model.Sha256);
    }

    [Fact]
    public async Task Segment_ByDefault_SendsFloat16_AndMatchesTheModelWithinQuantisation()
    {
        const int tiles = 10;
        var features = RunningServer.Features(tiles, seed: 22);
        using var services = ClientFactory.Services(_server.BaseAddress);
        var segmenter = services.GetRequiredService<ITileSegmenter>();
        var remote = new float[tiles * ModelContract.PixelsPerTile];

        await segmenter.SegmentAsync(features, remote, tiles, CancellationToken.None);

        var expected = RunningServer.Expected(features, tiles, seed: 1);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], remote[i], 0.5f / 255 + 0.01f);
        }
    }

    [Fact]
    public async Task Segment_Retries503sThenRecovers_WithIdenticalResults()
    {
        _faults.Enqueue(Fault.Unavailable503, 3);
        var (remote, expected) = await RunAsync(tiles: 12, seed: 23);

        Assert.Equal(expected, remote);
        Assert.Equal(3 + 2, _faults.SegmentRequests);
    }

    [Fact]
    public async Task Segment_HonoursRetryAfter()
    {
        // The base delay is 20 ms; only the server's Retry-After can make the client wait a second.
        await using var server = await RestartableServerAsync(retryAfterSeconds: 1);
        server.Faults.Enqueue(Fault.TooMany429, 1);
        var stopwatch = Stopwatch.StartNew();

        var (remote, expected) = await RunAsync(tiles: 4, seed: 24, server.Server.BaseAddress);

        Assert.Equal(expected, remote);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Segment_RetriesASlowAnswerAfterTheAttemptTimeout()
    {
        // The slow answer takes 5 s; 3 s leaves a healthy answer room on a loaded 2-core CI machine (1 s did not).
        _faults.Enqueue(Fault.Slow, 1);
        var (remote, expected) = await RunAsync(tiles: 8, seed: 25, configure: o => o.AttemptTimeout = TimeSpan.FromSeconds(3));

        Assert.Equal(expected, remote);
        Assert.Equal(2, _faults.SegmentRequests);
    }

    [Fact]
    public async Task Segment_RetriesAConnectionDroppedMidResponse()
    {
        _faults.Enqueue(Fault.DropMidResponse, 2);
        var (remote, expected) = await RunAsync(tiles: 16, seed: 26);

        Assert.Equal(expected, remote);
        Assert.Equal(2 + 2, _faults.SegmentRequests);
    }

    [Fact]
    public async Task Segment_FailsAsAWhole_WhenTheRetryBudgetIsSpent()
    {
        _faults.Enqueue(Fault.Unavailable503, 100);
        using var services = ClientFactory.Services(_server.BaseAddress, o => o.MaxRetryAttempts = 2);
        var client = services.GetRequiredService<InferenceClient>();
        var features = RunningServer.Features(4, seed: 27);

        var error = await Assert.ThrowsAsync<InferenceClientException>(
            async () => await client.SegmentAsync(features, new float[4 * ModelContract.PixelsPerTile], 4, CancellationToken.None));

        Assert.Equal(InferenceError.Unavailable, error.Code);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(3, _faults.SegmentRequests);
    }

    [Fact]
    public async Task Segment_NeverExceedsTheServersTileLimit()
    {
        // The client would send 20 per request; the server takes 8 and says so in GET /v1/model.
        var (remote, expected) = await RunAsync(tiles: 20, seed: 28, configure: o => o.MaxTilesPerRequest = 20);

        Assert.Equal(expected, remote);
        Assert.Equal(3, _faults.SegmentRequests);
    }

    [Fact]
    public async Task Segment_DoesNotRetryARejection_AndNamesTheProblem()
    {
        using var services = ClientFactory.Services(_server.BaseAddress, o => o.SendFloat16 = false);
        var client = services.GetRequiredService<InferenceClient>();
        var features = RunningServer.Features(2, seed: 28);
        features[ModelContract.FeatureValuesPerTile + 5] = float.PositiveInfinity;

        var error = await Assert.ThrowsAsync<InferenceClientException>(
            async () => await client.SegmentAsync(features, new float[2 * ModelContract.PixelsPerTile], 2, CancellationToken.None));

        Assert.Equal(InferenceError.Rejected, error.Code);
        Assert.Equal(422, error.StatusCode);
        Assert.Equal(InferenceProtocol.Errors.NonFiniteValues, error.ProblemCode);
        Assert.Equal(1, _faults.SegmentRequests);
    }

    [Fact]
    public async Task Segment_FailsUnauthorized_WithAWrongKey()
    {
        using var services = ClientFactory.Services(_server.BaseAddress, o => o.ApiKey = "not-the-key");
        var client = services.GetRequiredService<InferenceClient>();

        var error = await Assert.ThrowsAsync<InferenceClientException>(
            async () => await client.SegmentAsync(RunningServer.Features(1, seed: 29), new float[ModelContract.PixelsPerTile], 1, CancellationToken.None));

        Assert.Equal(InferenceError.Unauthorized, error.Code);
        Assert.Equal(401, error.StatusCode);
    }

    [Fact]
    public async Task Segment_SurvivesAServerRestartMidRun_WithoutLosingOrDuplicatingTiles()
    {
        await using var restartable = await RestartableServerAsync(retryAfterSeconds: 0);
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        restartable.Faults.OnSegmentRequest = n =>
        {
            if (n == 3)
            {
                _ = Task.Run(async () =>
                {
                    await restartable.RestartAsync(TimeSpan.FromMilliseconds(500));
                    restarted.SetResult();
                });
            }
        };

        var (remote, expected) = await RunAsync(
            tiles: 40,
            seed: 30,
            restartable.Server.BaseAddress,
            o =>
            {
                o.MaxTilesPerRequest = 4;
                o.MaxConcurrentRequests = 1;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
                o.MaxRetryAttempts = 20;
            });
        await restarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(expected, remote);
        Assert.Equal(1, restartable.Restarts);
    }

    private async Task<(float[] Remote, float[] Expected)> RunAsync(int tiles, int seed, Uri? baseAddress = null, Action<InferenceClientOptions>? configure = null)
    {
        var features = RunningServer.Features(tiles, seed);
        using var services = ClientFactory.Services(baseAddress ?? _server.BaseAddress, o =>
        {
            o.SendFloat16 = false;
            o.ReceiveFloat32 = true;
            configure?.Invoke(o);
        });
        var client = services.GetRequiredService<InferenceClient>();
        var remote = new float[tiles * ModelContract.PixelsPerTile];
        await client.SegmentAsync(features, remote, tiles, CancellationToken.None);

        using var local = OnnxSegmenter.Open(new InferenceOptions { ModelPath = Path.Combine(_models.Path, "v1") });
        var expected = new float[remote.Length];
        await local.SegmentAsync(features, expected, tiles, CancellationToken.None);
        return (remote, expected);
    }

    private async Task<RestartableServer> RestartableServerAsync(int retryAfterSeconds)
    {
        var faults = new FaultInjector { RetryAfterSeconds = retryAfterSeconds };
        var server = await RunningServer.StartAsync(
            _models.Path,
            configure: builder => builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(faults));
        return new RestartableServer(server, faults, _models.Path);
    }

    /// <summary>A server that can be stopped and started again on the same port, as a container restart would.</summary>
    private sealed class RestartableServer(RunningServer server, FaultInjector faults, string modelsRoot) : IAsyncDisposable
    {
        public RunningServer Server { get; private set; } = server;

        public FaultInjector Faults { get; } = faults;

        public int Restarts { get; private set; }

        public async Task RestartAsync(TimeSpan down)
        {
            var port = Server.BaseAddress.Port;
            await Server.DisposeAsync();
            await Task.Delay(down);
            Server = await RunningServer.StartAsync(modelsRoot, port: port, waitUntilReady: false);
            Restarts++;
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
