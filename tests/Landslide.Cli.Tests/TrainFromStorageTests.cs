using Azure.Storage.Blobs;
using Landslide.TestSupport;
using Landslide.Training.Retraining;

namespace Landslide.Cli.Tests;

/// <summary>`landslide train --storage`: the real process killed mid-training resumes from the blob checkpoint and records its result once.</summary>
public sealed class TrainFromStorageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("train-storage");

    public void Dispose() => _temp.Dispose();

    [RealDataFact]
    public async Task TrainStorage_KilledAfterACheckpoint_ResumesOnRerun_AndPublishesOnce()
    {
        var storage = azurite.ConnectionString;
        var (scene, polygons, _) = LabelledMosaic.Write(_temp.File("pair"), [1, 3], columns: 2);
        var name = Enumerable.Range(0, 100).Select(i => $"slope-{i}").First(n => !EvaluationSplit.IsHeldOut(n, 0.2));
        Assert.Equal(0, (await CliProcess.TrainAsync("training", "add", scene, "--labels", polygons, "--name", name, "--storage", storage)).ExitCode);
        string[] train = ["train", "--storage", storage, "--width", "4", "--epochs", "6", "--batch", "2", "--from-scratch"];
        var models = new BlobServiceClient(storage).GetBlobContainerClient("models");
        var checkpoint = models.GetBlobClient(BlobRetrainJob.RunCheckpointPrefix + "checkpoint.json");

        await using (var first = ServeProcess.StartTrain(train))
        {
            for (var i = 0; i < 1200 && !await checkpoint.ExistsAsync(); i++)
            {
                await Task.Delay(50);
            }

            Assert.True(await checkpoint.ExistsAsync(), $"no checkpoint reached blob storage:\n{first.Output}");
        } // killed here, mid-training

        var rerun = await CliProcess.TrainAsync(train);
        var again = await CliProcess.TrainAsync(train);

        Assert.True(rerun.ExitCode == 0, rerun.Stderr + rerun.Stdout);
        Assert.Matches(@"resumed from the checkpoint after epoch [1-5]", rerun.Stdout);
        Assert.Contains(": promoted (", rerun.Stdout, StringComparison.Ordinal);
        Assert.Contains("already published by this run", again.Stdout, StringComparison.Ordinal);
        var versions = new HashSet<string>();
        await foreach (var blob in models.GetBlobsAsync())
        {
            if (blob.Name.EndsWith("/manifest.json", StringComparison.Ordinal))
            {
                versions.Add(blob.Name.Split('/')[0]);
            }
        }

        Assert.Single(versions);
    }
}
