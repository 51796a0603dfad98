using System.Text.Json;
using Azure.Storage.Blobs;
using Landslide.Core.Segmentation;
using Landslide.Pipeline.Alerts;
using Landslide.TestSupport;
using Landslide.Training.Retraining;

namespace Landslide.Cli.Tests;

/// <summary>
/// The loop end to end through the real program on Azurite: `serve` running; `training add` of a labelled scene built
/// from real training patches with polygon labels; `serve retrain` trains a tiny model from the blobs, scores it,
/// promotes it (and, in the second case, the gate rejects one); a scene dropped afterwards is mapped with the new
/// version; the receiver gets validly signed model events.
/// </summary>
public sealed class TeachItYourLandslidesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string Secret = "teach-s3cret";
    private const string Share = "0.5";
    private readonly TempDirectory _temp = new("teach");

    public void Dispose() => _temp.Dispose();

    [RealDataFact]
    public async Task AddLabels_Retrain_PromotesAndMapsTheNextScene_ThenTheGateRejectsAWorseModel()
    {
        using var receiver = new WebhookReceiver();
        var storage = azurite.ConnectionString;
        var models = new BlobServiceClient(storage).GetBlobContainerClient("models");
        await using var serve = ServeProcess.Start("serve", "--storage", storage, "--webhook", receiver.Url.AbsoluteUri, "--webhook-secret", Secret, "--chunk-size", "256");
        await serve.WaitForAsync("Serving:", TimeSpan.FromMinutes(2));

        var trained = PairName("hillside", heldOut: false);
        var heldOut = PairName("gully", heldOut: true);
        var (scene, polygons, _) = LabelledMosaic.Write(_temp.File(trained), [1, 3, 16, 27], columns: 2);
        var add = await CliProcess.TrainAsync("training", "add", scene, "--labels", polygons, "--name", trained, "--storage", storage);
        var (heldScene, heldPolygons, _) = LabelledMosaic.Write(_temp.File(heldOut), [28, 38], columns: 2);
        var addHeld = await CliProcess.TrainAsync("training", "add", heldScene, "--labels", heldPolygons, "--name", heldOut, "--storage", storage);
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.True(addHeld.ExitCode == 0, addHeld.Stderr);

        var retrain = await Retrain(storage);
        Assert.True(retrain.ExitCode == 0, retrain.Stderr + retrain.Stdout);
        Assert.Contains(": promoted (", retrain.Stdout, StringComparison.Ordinal);
        var version = await PointerAsync(models);
        var promotedAt = System.Diagnostics.Stopwatch.StartNew();
        Assert.StartsWith("rau4-", version, StringComparison.Ordinal);
        var manifest = (await models.GetBlobClient($"{version}/manifest.json").DownloadContentAsync()).Value.Content.ToObjectFromJson<ModelManifest>()!;
        Assert.Contains(heldOut, manifest.Metrics!.EvaluatedOn, StringComparison.Ordinal);

        var promoted = await EventAsync(receiver, 1);
        Assert.Equal("model.promoted", promoted.GetProperty("type").GetString());
        Assert.Equal(version, promoted.GetProperty("model_version").GetString());

        var list = await CliProcess.TrainAsync("training", "list", "--storage", storage);
        Assert.Contains($"current model: {version}", list.Stdout, StringComparison.Ordinal);
        Assert.Matches($@"{trained}\s+polygons\s+\d+\s+\d+\s+train", list.Stdout);
        Assert.Matches($@"{heldOut}\s+polygons\s+\d+\s+\d+\s+evaluation", list.Stdout);

        var unchanged = await Retrain(storage);
        Assert.Contains("not retrained: training data unchanged", unchanged.Stdout, StringComparison.Ordinal);

        // serve checks models/current.json at most every 10 s (by design: one storage read per interval, not per
        // scene); a scene planned inside that window is mapped by the previous model. Drop after the window.
        var window = TimeSpan.FromSeconds(11) - promotedAt.Elapsed;
        if (window > TimeSpan.Zero)
        {
            await Task.Delay(window);
        }

        var dropped = RealPatches.WriteMosaic(_temp.File("after"), [41, 45], columns: 2);
        File.Move(dropped, _temp.File("after-promotion.tif"));
        var drop = await CliProcess.RunAsync("serve", "drop", _temp.File("after-promotion.tif"), "--storage", storage);
        Assert.True(drop.ExitCode == 0, drop.Stderr);
        using (var run = await RunJsonAsync(storage, "after-promotion", serve))
        {
            Assert.Equal(version, run.RootElement.GetProperty("model").GetProperty("version").GetString());
            Assert.Equal(manifest.Sha256, run.RootElement.GetProperty("model").GetProperty("sha256").GetString());
        }

        // Second case: the promoted model recorded as perfect (F1 1.0, no checkpoint to rescore it): a retrain on
        // changed data cannot reach it, so the gate rejects the candidate and current.json stays.
        var perfect = manifest with { Version = "perfect", Metrics = manifest.Metrics with { F1 = 1.0 } };
        await models.GetBlobClient("perfect/model.onnx").SyncCopyFromUriAsync(models.GetBlobClient($"{version}/model.onnx").GenerateSasUri(Azure.Storage.Sas.BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)));
        await models.GetBlobClient("perfect/manifest.json").UploadAsync(BinaryData.FromObjectAsJson(perfect));
        await models.GetBlobClient("current.json").UploadAsync(BinaryData.FromString("""{"version":"perfect"}"""), overwrite: true);
        var (more, morePolygons, _) = LabelledMosaic.Write(_temp.File("more"), [45, 72], columns: 2);
        Assert.Equal(0, (await CliProcess.TrainAsync("training", "add", more, "--labels", morePolygons, "--name", PairName("terrace", heldOut: false), "--storage", storage)).ExitCode);

        var rejected = await Retrain(storage);

        Assert.True(rejected.ExitCode == 0, rejected.Stderr + rejected.Stdout);
        Assert.Contains(": rejected (", rejected.Stdout, StringComparison.Ordinal);
        Assert.Equal("perfect", await PointerAsync(models));
        var rejection = await EventAsync(receiver, 2);
        Assert.Equal("model.rejected", rejection.GetProperty("type").GetString());
        Assert.Equal("perfect", rejection.GetProperty("current").GetProperty("version").GetString());
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> Retrain(string storage) => CliProcess.RunAsync(
        "serve", "retrain", "--storage", storage, "--width", "4", "--epochs", "1", "--batch", "2", "--from-scratch", "--held-out-share", Share);

    private static string PairName(string prefix, bool heldOut) =>
        Enumerable.Range(0, 100).Select(i => $"{prefix}-{i}").First(n => EvaluationSplit.IsHeldOut(n, double.Parse(Share, System.Globalization.CultureInfo.InvariantCulture)) == heldOut);

    /// <summary>The n-th model event the receiver got (landslide alerts of mapped scenes arrive too: told apart by the delivery key).</summary>
    private static async Task<JsonElement> EventAsync(WebhookReceiver receiver, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<ReceivedRequest> events;
        while ((events = ModelEvents(receiver)).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(events.Count >= count, $"{events.Count} model events delivered, expected {count}");
        var last = events[count - 1];
        Assert.True(AlertSignature.Verify(last.Body, Secret, last.Headers[AlertSignature.SignatureHeader]), "the event's signature does not verify");
        return JsonDocument.Parse(last.Body).RootElement.Clone();
    }

    private static List<ReceivedRequest> ModelEvents(WebhookReceiver receiver) =>
        [.. receiver.Delivered.Where(r => r.Headers[AlertSignature.DeliveryHeader].StartsWith("model-", StringComparison.Ordinal))];

    private static async Task<string> PointerAsync(BlobContainerClient models)
    {
        using var pointer = JsonDocument.Parse((await models.GetBlobClient("current.json").DownloadContentAsync()).Value.Content.ToMemory());
        return pointer.RootElement.GetProperty("version").GetString()!;
    }

    private static async Task<JsonDocument> RunJsonAsync(string storage, string scene, ServeProcess serve)
    {
        var blob = new BlobServiceClient(storage).GetBlobContainerClient("results").GetBlobClient($"{scene}/run.json");
        for (var i = 0; i < 240; i++)
        {
            if (await blob.ExistsAsync())
            {
                return JsonDocument.Parse((await blob.DownloadContentAsync()).Value.Content.ToMemory());
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"results/{scene}/run.json did not appear:\n{serve.Output}");
    }
}
