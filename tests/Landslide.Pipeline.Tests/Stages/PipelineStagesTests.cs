using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.Mapping;
using Landslide.Pipeline.Queries;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.SceneArrival;
using Landslide.Pipeline.Stalls;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;

namespace Landslide.Pipeline.Tests.Stages;

/// <summary>The stage handlers end to end through real queues, blobs and the runs table on Azurite.</summary>
public sealed class PipelineStagesTests : IAsyncLifetime
{
    private const string Secret = "s3cret";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("stages");
    private readonly WebhookReceiver _receiver = new();
    private PipelineHarness _pipeline = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _pipeline = new PipelineHarness(_azurite, _temp, _receiver, Secret);
        await _pipeline.Storage.EnsureCreatedAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _pipeline.Dispose();
        _receiver.Dispose();
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task UploadedScene_GivesGeoreferencedResults_AndOneSignedAlert()
    {
        var scene = WriteScene("kerala.tif");

        var planned = await _pipeline.UploadAsync("kerala.tif", scene);
        await _pipeline.RunUntilIdleAsync(Bound);

        Assert.Equal(3, planned.ChunksEnqueued);
        var run = await _pipeline.Runs.GetAsync(planned.RunId, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, run!.Status);
        var results = await DownloadResultsAsync("kerala");
        foreach (var name in new[] { OutputNames.Mask, OutputNames.Probability, OutputNames.Polygons, OutputNames.Quicklook, OutputNames.Run, OutputNames.StacItem })
        {
            Assert.True(File.Exists(Path.Combine(results, name)), $"results/kerala/ lacks {name}");
        }

        using var sceneInfo = GdalCli.GdalInfoJson(scene);
        foreach (var raster in new[] { OutputNames.Mask, OutputNames.Probability })
        {
            using var info = GdalCli.GdalInfoJson(Path.Combine(results, raster));
            Assert.Equal(Transform(sceneInfo), Transform(info));
            Assert.Equal(
                sceneInfo.RootElement.GetProperty("coordinateSystem").GetProperty("wkt").GetString(),
                info.RootElement.GetProperty("coordinateSystem").GetProperty("wkt").GetString());
            Assert.Equal("COG", info.RootElement.GetProperty("metadata").GetProperty("IMAGE_STRUCTURE").GetProperty("LAYOUT").GetString());
        }

        // The 40 x 40 px landslide straddles the seam between chunks 0 and 1 (row 96): it must come out as one polygon.
        using var polygons = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(results, OutputNames.Polygons)));
        var feature = Assert.Single(polygons.RootElement.GetProperty("features").EnumerateArray());
        Assert.Equal(40 * 40 * 100d, feature.GetProperty("properties").GetProperty("area_m2").GetDouble(), 3);

        using var runJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(results, OutputNames.Run)));
        Assert.Equal(planned.RunId, runJson.RootElement.GetProperty("run_id").GetString());
        Assert.Equal(300L * 260, runJson.RootElement.GetProperty("counts").GetProperty("valid_pixels").GetInt64());

        var alert = Assert.Single(_receiver.Delivered);
        Assert.True(AlertSignature.Verify(alert.Body, Secret, alert.Headers[AlertSignature.SignatureHeader]), "the alert's signature does not verify");
        Assert.Equal(AlertSignature.DeliveryKey(planned.RunId, 0), alert.Headers[AlertSignature.DeliveryHeader]);
        using var body = JsonDocument.Parse(alert.Body);
        Assert.Equal("kerala", body.RootElement.GetProperty("scene").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(4, body.RootElement.GetProperty("bbox").GetArrayLength());
    }

    [Fact]
    public async Task SameSceneUploadedTwice_IsOneRun_WithOneAlert()
    {
        var scene = WriteScene("twice.tif");

        var first = await _pipeline.UploadAsync("twice.tif", scene);
        await _pipeline.RunUntilIdleAsync(Bound);
        var second = await _pipeline.UploadAsync("twice.tif", scene);
        await _pipeline.RunUntilIdleAsync(Bound);

        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal(0, second.ChunksEnqueued);
        Assert.Single(_receiver.Delivered);
    }

    [Fact]
    public async Task ChangedSceneUnderTheSameName_IsANewRun()
    {
        var first = await _pipeline.UploadAsync("changing.tif", WriteScene("changing-1.tif"));
        await _pipeline.RunUntilIdleAsync(Bound);
        var second = await _pipeline.UploadAsync("changing.tif", WriteScene("changing-2.tif", landslideX: 200));
        await _pipeline.RunUntilIdleAsync(Bound);

        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(RunStatus.Completed, (await _pipeline.Runs.GetAsync(second.RunId, CancellationToken.None))!.Status);
        var results = await DownloadResultsAsync("changing");
        using var runJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(results, OutputNames.Run)));
        Assert.Equal(second.RunId, runJson.RootElement.GetProperty("run_id").GetString());
        Assert.Equal(
            [AlertSignature.DeliveryKey(first.RunId, 0), AlertSignature.DeliveryKey(second.RunId, 0)],
            _receiver.Delivered.Select(d => d.Headers[AlertSignature.DeliveryHeader]));
    }

    [Fact]
    public async Task InferenceDownForAWhile_ThenBack_RunCompletes()
    {
        _pipeline.Segmenter.FailCalls = 3;

        var planned = await _pipeline.UploadAsync("outage.tif", WriteScene("outage.tif"));
        await _pipeline.RunUntilIdleAsync(Bound);

        var run = await _pipeline.Runs.GetAsync(planned.RunId, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.True(_pipeline.Segmenter.Calls > 3);
        Assert.Equal(0, await _pipeline.CountAsync(StorageNames.ChunksQueue + "-poison"));
        Assert.Single(_receiver.Delivered);
    }

    [Fact]
    public async Task WorkerKilledMidChunk_ShowsStalled_ThenTheSweeperRequeuesIt_AndNothingIsDuplicated()
    {
        using var killer = new CancellationTokenSource();
        _pipeline.Segmenter.Killer = killer;
        _pipeline.Segmenter.CancelOnCall = 2;
        _pipeline.Options.HeartbeatInterval = TimeSpan.FromSeconds(1);
        _pipeline.Options.StallAfter = TimeSpan.FromSeconds(3);
        var options = Microsoft.Extensions.Options.Options.Create(_pipeline.Options);
        var queries = new RunQueries(_pipeline.Storage, _pipeline.Runs, options);
        var sweeper = new StallSweeper(_pipeline.Storage, options, Microsoft.Extensions.Logging.Abstractions.NullLogger<StallSweeper>.Instance);

        // The killed worker's message comes back while its heartbeat is still fresh (in Azure it stays invisible for
        // about 10 minutes): that delivery leaves the chunk to the "other" worker, so only the sweeper can save the run.
        var planned = await _pipeline.UploadAsync("killed.tif", WriteScene("killed.tif"));
        await _pipeline.RunUntilIdleAsync(Bound);
        Assert.True(killer.IsCancellationRequested, "the worker was never killed");
        Assert.Equal(RunStatus.Running, (await _pipeline.Runs.GetAsync(planned.RunId, CancellationToken.None))!.Status);

        var stalled = await WaitForAsync(async () => await queries.LatestAsync("killed", CancellationToken.None) is { Status: RunStatus.Stalled } v ? v : null);
        var stall = Assert.Single(stalled.Stalled!);
        Assert.StartsWith("chunk-", stall.Part, StringComparison.Ordinal);
        Assert.True(stall.Since < DateTimeOffset.UtcNow - _pipeline.Options.StallAfter, $"stalled since {stall.Since}");
        Assert.Null(stall.RequeuedAt);

        Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None)); // once per StallAfter, not once per sweep
        await _pipeline.RunUntilIdleAsync(Bound);

        var run = await _pipeline.Runs.GetAsync(planned.RunId, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal(RunStatus.Completed, (await queries.LatestAsync("killed", CancellationToken.None))!.Status);
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));

        // A clean run segments 5 batches (3 tile rows, each chunk after the first repeats its halo row): more means a redo.
        Assert.True(_pipeline.Segmenter.Calls > 5, $"{_pipeline.Segmenter.Calls} segment calls: the killed chunk was not redone");
        var left = new List<string>();
        await foreach (var blob in _pipeline.Storage.Container(StorageNames.WorkContainer).GetBlobsAsync(BlobTraits.None, BlobStates.None, planned.RunId + "/", CancellationToken.None))
        {
            left.Add(blob.Name);
        }

        Assert.DoesNotContain(left, n => n.Contains("/chunk-", StringComparison.Ordinal)); // work/ cleaned after finalize
        Assert.Single(_receiver.Delivered);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not reached within {Bound}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task WebhookReceiverFailing_RetriesThenDeadLetters()
    {
        _receiver.AlwaysFail = true;

        var planned = await _pipeline.UploadAsync("unheard.tif", WriteScene("unheard.tif"));
        await _pipeline.RunUntilIdleAsync(Bound);

        Assert.Equal(_pipeline.Alerts.MaxRetryAttempts + 1, _receiver.Attempts);
        var deadLetters = (await _pipeline.Storage.Queue(StorageNames.AlertsDeadLetterQueue).ReceiveMessagesAsync(maxMessages: 10)).Value;
        var letter = Assert.Single(deadLetters);
        using var json = JsonDocument.Parse(letter.MessageText);
        Assert.Equal(planned.RunId, json.RootElement.GetProperty("run_id").GetString());
        Assert.Contains("500", json.RootElement.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal("0", (await _pipeline.Runs.GetAsync(planned.RunId, CancellationToken.None))!.AlertsDeadLettered);
    }

    [Fact]
    public async Task CorruptSceneAmongGoodOnes_GetsErrorJson_AndTheOthersComplete()
    {
        var corruptPath = _temp.File("corrupt.tif");
        await File.WriteAllBytesAsync(corruptPath, [.. "II*\0garbage that is not a TIFF"u8.ToArray(), .. new byte[500]]);
        var rgbPath = new SceneBuilder { BandCount = 3 }.Write(_temp.File("rgb.tif"), (b, x, y) => 1f);

        var good1 = await _pipeline.UploadAsync("good-1.tif", WriteScene("good-1.tif"));
        var corrupt = await _pipeline.UploadAsync("corrupt.tif", corruptPath);
        var rgb = await _pipeline.UploadAsync("rgb.tif", rgbPath);
        var good2 = await _pipeline.UploadAsync("good-2.tif", WriteScene("good-2.tif"));
        await _pipeline.RunUntilIdleAsync(Bound);

        Assert.Equal(RunStatus.Rejected, corrupt.Status);
        Assert.Equal(RunStatus.Rejected, rgb.Status);
        Assert.Equal("NotARaster", await ErrorCodeAsync("corrupt"));
        Assert.Equal("WrongBandCount", await ErrorCodeAsync("rgb"));
        var kept = await _pipeline.Storage.Container(StorageNames.ScenesContainer).GetBlobClient("corrupt.tif").DownloadContentAsync();
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(corruptPath)), SHA256.HashData(kept.Value.Content.ToArray()));
        foreach (var good in new[] { good1, good2 })
        {
            Assert.Equal(RunStatus.Completed, (await _pipeline.Runs.GetAsync(good.RunId, CancellationToken.None))!.Status);
        }

        Assert.Equal(2, _receiver.Delivered.Count);
    }

    [Fact]
    public async Task MessageThatKeepsFailing_EndsInPoison_AndTheRunShowsFailedWithTheReason()
    {
        _pipeline.Segmenter.AlwaysFail = true;

        var planned = await _pipeline.UploadAsync("doomed.tif", WriteScene("doomed.tif"));
        await _pipeline.RunUntilIdleAsync(Bound);

        var run = await _pipeline.Runs.GetAsync(planned.RunId, CancellationToken.None);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.Contains("inference service unavailable", run.Reason, StringComparison.Ordinal);
        Assert.True(await _pipeline.CountAsync(StorageNames.ChunksQueue + "-poison") >= 1);
        Assert.Empty(_receiver.Delivered);
    }

    [Fact]
    public async Task BadPixelsOrWrongProfile_AreRejectedLikeMap_WithErrorJsonNamingTheBlob()
    {
        var nanPath = new SceneBuilder { Width = 200, Height = 200 }.Write(_temp.File("nan.tif"), (b, x, y) => float.NaN);
        var dnPath = new SceneBuilder { Width = 200, Height = 200, NoData = 0 }.Write(_temp.File("dn.tif"), (b, x, y) => 1200f + x);
        var emptyPath = _temp.File("empty.tif");
        await File.WriteAllBytesAsync(emptyPath, []);
        var full = await File.ReadAllBytesAsync(new SceneBuilder { Width = 300, Height = 600 }.Write(_temp.File("whole.tif"), (b, x, y) => 1f));
        var cutPath = _temp.File("cut.tif");
        await File.WriteAllBytesAsync(cutPath, full.AsSpan(0, full.Length / 3).ToArray());

        var nan = await _pipeline.UploadAsync("nan.tif", nanPath);
        var dn = await _pipeline.UploadAsync("dn.tif", dnPath);
        var empty = await _pipeline.UploadAsync("empty.tif", emptyPath);
        var cut = await _pipeline.UploadAsync("cut.tif", cutPath);

        // The same DN scene dropped with profile metadata (serve drop --profile s2-l2a-dn) is mapped.
        var dnBlob = _pipeline.Storage.Container(StorageNames.ScenesContainer).GetBlobClient("dn-tagged.tif");
        await dnBlob.UploadAsync(dnPath, new BlobUploadOptions { Metadata = new Dictionary<string, string> { [SceneArrivedHandler.ProfileMetadata] = "s2-l2a-dn" } });
        var tagged = await _pipeline.SceneArrived.HandleAsync(dnBlob, "dn-tagged.tif", CancellationToken.None);
        await _pipeline.RunUntilIdleAsync(Bound);

        Assert.Equal(RunStatus.Rejected, nan.Status);
        Assert.Equal("AllNodata", await ErrorCodeAsync("nan"));
        Assert.Equal(RunStatus.Rejected, dn.Status);
        Assert.Equal("ProfileMismatch", await ErrorCodeAsync("dn"));
        Assert.Equal("NotARaster", await ErrorCodeAsync("empty"));
        Assert.Equal("UnreadableData", await ErrorCodeAsync("cut"));
        Assert.Equal(RunStatus.Rejected, (await _pipeline.Runs.GetAsync(cut.RunId, CancellationToken.None))!.Status);
        foreach (var scene in new[] { "empty", "cut" })
        {
            var message = await ErrorMessageAsync(scene);
            Assert.Contains($"scenes/{scene}.tif", message, StringComparison.Ordinal);
            Assert.DoesNotContain("landslide-scene-", message, StringComparison.Ordinal); // not the temp copy
        }

        Assert.True((await _pipeline.Storage.Container(StorageNames.ScenesContainer).GetBlobClient("cut.tif").ExistsAsync()).Value, "the scene must stay");
        var taggedRun = await _pipeline.Runs.GetAsync(tagged.RunId, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, taggedRun!.Status);
        Assert.Equal("s2-l2a-dn", taggedRun.BandProfile);
        Assert.Equal(0, await _pipeline.CountAsync(StorageNames.ChunksQueue + "-poison"));
    }

    private async Task<string> ErrorMessageAsync(string scene)
    {
        var content = await _pipeline.Storage.Container(StorageNames.ResultsContainer).GetBlobClient($"{scene}/{OutputNames.Error}").DownloadContentAsync();
        using var json = JsonDocument.Parse(content.Value.Content.ToMemory());
        return json.RootElement.GetProperty("message").GetString()!;
    }

    private string WriteScene(string name, int landslideX = 100)
    {
        // 300 x 260 px, 3 tile rows at overlap 32 (stride 96); one 40 x 40 px landslide across rows 80..119.
        var builder = new SceneBuilder { Width = 300, Height = 260 };
        return builder.Write(_temp.File(name), (b, x, y) =>
            b != PipelineHarness.Red ? 1f : x >= landslideX && x < landslideX + 40 && y is >= 80 and < 120 ? 0.9f : 0.1f);
    }

    private async Task<string> DownloadResultsAsync(string scene)
    {
        var folder = _temp.File($"results-{scene}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var container = _pipeline.Storage.Container(StorageNames.ResultsContainer);
        await foreach (BlobItem blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, scene + "/", CancellationToken.None))
        {
            await container.GetBlobClient(blob.Name).DownloadToAsync(Path.Combine(folder, Path.GetFileName(blob.Name)));
        }

        return folder;
    }

    private async Task<string?> ErrorCodeAsync(string scene)
    {
        var content = await _pipeline.Storage.Container(StorageNames.ResultsContainer).GetBlobClient($"{scene}/{OutputNames.Error}").DownloadContentAsync();
        using var json = JsonDocument.Parse(content.Value.Content.ToMemory());
        return json.RootElement.GetProperty("code").GetString();
    }

    private static double[] Transform(JsonDocument info) =>
        [.. info.RootElement.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble())];
}
