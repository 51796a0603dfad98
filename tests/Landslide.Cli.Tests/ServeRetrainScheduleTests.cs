using System.Text.Json;
using Azure.Storage.Blobs;
using Landslide.Core.Segmentation;
using Landslide.TestSupport;
using Landslide.Training.Retraining;

namespace Landslide.Cli.Tests;

/// <summary>
/// `serve --retrain-every` without a training command: serve starts landslide-train (found in its build output) as
/// `train --storage <serve's storage>` plus --train-args, in its own process; the model it publishes becomes current.
/// </summary>
public sealed class ServeRetrainScheduleTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("retrain-schedule");

    public void Dispose() => _temp.Dispose();

    [RealDataFact]
    public async Task RetrainEvery_StartsLandslideTrainOnServesStorage_AndItsModelBecomesCurrent()
    {
        var storage = azurite.ConnectionString;
        var name = Enumerable.Range(0, 100).Select(i => $"ridge-{i}").First(n => !EvaluationSplit.IsHeldOut(n, 0.5));
        var held = Enumerable.Range(0, 100).Select(i => $"ravine-{i}").First(n => EvaluationSplit.IsHeldOut(n, 0.5));
        var (scene, polygons, _) = LabelledMosaic.Write(_temp.File("pair"), [1, 3], columns: 2);
        var (heldScene, heldPolygons, _) = LabelledMosaic.Write(_temp.File("held"), [16, 27], columns: 2);
        Assert.Equal(0, (await CliProcess.TrainAsync("training", "add", scene, "--labels", polygons, "--name", name, "--storage", storage)).ExitCode);
        Assert.Equal(0, (await CliProcess.TrainAsync("training", "add", heldScene, "--labels", heldPolygons, "--name", held, "--storage", storage)).ExitCode);
        var models = new BlobServiceClient(storage).GetBlobContainerClient("models");

        await using var serve = ServeProcess.Start(
            "serve", "--storage", storage, "--port", "0", "--retrain-every", "00:00:02",
            "--train-args", "--width 4 --epochs 1 --batch 2 --lr-scale 10 --bn-momentum 0.1 --from-scratch --held-out-share 0.5");
        var current = models.GetBlobClient("current.json");
        for (var i = 0; i < 900 && !await current.ExistsAsync(); i++)
        {
            await Task.Delay(200);
        }

        Assert.True(await current.ExistsAsync(), $"no model was published:\n{serve.Output}");
        using var pointer = JsonDocument.Parse((await current.DownloadContentAsync()).Value.Content.ToMemory());
        var version = pointer.RootElement.GetProperty("version").GetString()!;
        var manifest = (await models.GetBlobClient($"{version}/manifest.json").DownloadContentAsync()).Value.Content.ToObjectFromJson<ModelManifest>()!;
        Assert.StartsWith("rau4-", version, StringComparison.Ordinal);
        Assert.StartsWith("landslide-train train --storage env --width 4 --epochs 1", manifest.Training?.Command, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, manifest.Training?.Command, StringComparison.Ordinal);

        // The training process prints its verdict after it has moved current.json: wait for the line, not just the pointer.
        var verdict = $"model {version}: promoted (";
        for (var i = 0; i < 300 && !serve.Output.Contains(verdict, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(verdict, serve.Output, StringComparison.Ordinal);
    }
}
