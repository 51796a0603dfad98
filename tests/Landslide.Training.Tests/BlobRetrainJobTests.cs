using System.Text.Json;
using Azure.Storage.Blobs;
using Landslide.Core.Segmentation;
using Landslide.TestSupport;
using Landslide.Training.Registry;
using Landslide.Training.Retraining;

namespace Landslide.Training.Tests;

public sealed class BlobRetrainJobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("retrain");

    public void Dispose() => _temp.Dispose();

    [RealDataFact]
    public async Task Retrain_TrainsFromBlobs_NeverOnHeldOutData_SkipsABrokenPair_AndPromotes()
    {
        var (training, models) = await ContainersAsync();
        var trainPair = RetrainData.Name("slopes", heldOut: false);
        var heldOutPair = RetrainData.Name("ridge", heldOut: true);
        await RetrainData.AddPairAsync(training, _temp.Path, trainPair, [1, 3]);
        await RetrainData.AddPairAsync(training, _temp.Path, heldOutPair, [16, 27]);
        await RetrainData.AddPatchAsync(training, 28);
        await RetrainData.AddPatchAsync(training, 2);
        await RetrainData.AddPairAsync(training, _temp.Path, "broken", [38]);
        await training.GetBlobClient("broken/scene.tif").UploadAsync(BinaryData.FromString("not a tiff"), overwrite: true);
        // A checkpoint left by a run with other settings or data: must not be reused.
        await models.GetBlobClient(BlobRetrainJob.RunCheckpointPrefix + TrainingCheckpoint.StateFile).UploadAsync(BinaryData.FromString(
            """{"CompletedEpochs":1,"Model":{"Width":4},"History":[],"Threshold":0.5,"Fingerprint":"sha256:other"}"""), overwrite: true);
        await models.GetBlobClient(BlobRetrainJob.RunCheckpointPrefix + TrainingCheckpoint.ModelFile).UploadAsync(BinaryData.FromString("stale"), overwrite: true);
        var batches = new List<string>();
        var job = new BlobRetrainJob(training, models) { BatchObserver = ids => batches.AddRange(ids) };

        var result = await job.RunAsync(RetrainData.TinyOptions(), CancellationToken.None);

        Assert.True(result.CheckpointDiscarded);
        Assert.Equal(0, result.ResumedAfterEpoch);
        Assert.Contains("broken", result.SkippedPairs.Keys);
        Assert.Contains(batches, id => id.StartsWith(trainPair + "_", StringComparison.Ordinal));
        Assert.Contains("l4s/28", batches);
        Assert.DoesNotContain(batches, id => id.StartsWith(heldOutPair, StringComparison.Ordinal) || id == "l4s/2" || id.StartsWith("broken", StringComparison.Ordinal));
        Assert.True(result.Promoted);
        var version = result.Manifest.Version;
        Assert.Equal(version, await PointerAsync(models));
        var manifest = (await models.GetBlobClient($"{version}/manifest.json").DownloadContentAsync()).Value.Content.ToObjectFromJson<ModelManifest>()!;
        Assert.Equal(result.DataFingerprint, manifest.TrainingDataFingerprint);
        Assert.Equal(4, manifest.Width);
        Assert.NotNull(manifest.Metrics?.F1);
        Assert.NotNull(manifest.Metrics?.MeanIou);
        Assert.Contains(heldOutPair, manifest.Metrics!.EvaluatedOn, StringComparison.Ordinal);
        Assert.True((await models.GetBlobClient($"{version}/model.onnx").ExistsAsync()).Value);
        Assert.True((await models.GetBlobClient($"{version}/checkpoint/model.bin").ExistsAsync()).Value);
        var data = (await models.GetBlobClient($"{version}/training-data.json").DownloadContentAsync()).Value.Content.ToObjectFromJson<TrainingDataRecord>()!;
        Assert.Equal(result.DataFingerprint, data.Fingerprint);
        Assert.Equal(TrainingDataItem.Evaluation, data.Items.Single(i => i.Name == heldOutPair).Role);
        Assert.Equal(TrainingDataItem.Train, data.Items.Single(i => i.Name == trainPair).Role);
        Assert.Equal(TrainingDataItem.Skipped, data.Items.Single(i => i.Name == "broken").Role);
        using var evt = JsonDocument.Parse((await models.GetBlobClient($"{version}/event.json").DownloadContentAsync()).Value.Content.ToMemory());
        Assert.Equal("model.promoted", evt.RootElement.GetProperty("type").GetString());
    }

    [RealDataFact]
    public async Task Retrain_CancelledAfterEpoch1_ResumesFromTheBlobCheckpoint_AndPublishesOnce()
    {
        var (training, models) = await ContainersAsync();
        await RetrainData.AddPairAsync(training, _temp.Path, RetrainData.Name("slopes", heldOut: false), [1, 3]);
        await RetrainData.AddPatchAsync(training, 2);
        var options = RetrainData.TinyOptions(epochs: 2);
        using var cancel = new CancellationTokenSource();
        var first = new BlobRetrainJob(training, models) { CheckpointUploaded = epochs => cancel.Cancel() };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(options, cancel.Token));
        var epochsSeen = new List<int>();
        var rerun = await new BlobRetrainJob(training, models) { CheckpointUploaded = epochsSeen.Add }.RunAsync(options, CancellationToken.None);
        var again = await new BlobRetrainJob(training, models).RunAsync(options, CancellationToken.None);

        Assert.Equal(1, rerun.ResumedAfterEpoch);
        Assert.False(rerun.CheckpointDiscarded);
        Assert.Equal([2], epochsSeen);
        Assert.Equal(2, rerun.Manifest.Training?.Epochs);
        Assert.True(again.AlreadyPublished);
        Assert.Equal(rerun.Manifest.Version, again.Manifest.Version);
        var versions = new HashSet<string>();
        await foreach (var blob in models.GetBlobsAsync())
        {
            if (blob.Name.EndsWith("/manifest.json", StringComparison.Ordinal))
            {
                versions.Add(blob.Name.Split('/')[0]);
            }
        }

        Assert.Equal([rerun.Manifest.Version], versions);
    }

    [RealDataFact]
    public async Task Retrain_FineTunesThePromotedCheckpoint_AndScoresBothModelsOnTheSameData()
    {
        var (training, models) = await ContainersAsync();
        await RetrainData.AddPairAsync(training, _temp.Path, RetrainData.Name("slopes", heldOut: false), [1, 3]);
        await RetrainData.AddPatchAsync(training, 2);
        var first = await new BlobRetrainJob(training, models).RunAsync(RetrainData.TinyOptions(), CancellationToken.None);
        await RetrainData.AddPairAsync(training, _temp.Path, RetrainData.Name("terrace", heldOut: false), [16, 27]);

        var tuned = await new BlobRetrainJob(training, models).RunAsync(RetrainData.TinyOptions(fromScratch: false) with
        {
            Training = RetrainData.TinyOptions().Training with { Model = new Modeling.RauNetOptions { Width = 8 } },
        }, CancellationToken.None);

        Assert.True(first.Promoted);
        Assert.Equal($"fine-tuned from {first.Manifest.Version}", tuned.Manifest.Training?.Notes);
        Assert.Equal(4, tuned.Manifest.Width); // the parent's shape, not the width setting
        Assert.NotNull(tuned.Current);
        Assert.Equal(tuned.Candidate!.Dataset, tuned.Current!.Dataset);
        Assert.Equal(tuned.Candidate.TileIds, tuned.Current.TileIds);
        Assert.Equal(first.Manifest.Version, tuned.Manifest.Promotion?.CurrentVersion);
        Assert.Equal(Math.Round(tuned.Current.AtThreshold.LandslideF1, 4), tuned.Manifest.Promotion?.CurrentF1);
        using var evaluation = JsonDocument.Parse((await models.GetBlobClient($"{tuned.Manifest.Version}/evaluation.json").DownloadContentAsync()).Value.Content.ToMemory());
        Assert.Equal(first.Manifest.Version, evaluation.RootElement.GetProperty("current").GetProperty("version").GetString());
    }

    [RealDataFact]
    public async Task Retrain_WorseThanTheCurrentModel_IsPublishedButRejected_AndCurrentStays()
    {
        var (training, models) = await ContainersAsync();
        await RetrainData.AddPairAsync(training, _temp.Path, RetrainData.Name("slopes", heldOut: false), [1, 3]);
        await RetrainData.AddPatchAsync(training, 2);
        // A current model without a checkpoint, recorded with a perfect F1: any candidate falls short of it.
        await models.GetBlobClient("perfect/manifest.json").UploadAsync(BinaryData.FromObjectAsJson(new ModelManifest
        {
            Version = "perfect",
            Sha256 = new string('a', 64),
            FeatureVersion = ModelContract.FeatureVersion,
            Input = ModelManifest.ContractInput,
            Output = ModelManifest.ContractOutput,
            Metrics = new ModelMetrics { EvaluatedOn = "elsewhere", F1 = 1.0 },
        }));
        await models.GetBlobClient("current.json").UploadAsync(BinaryData.FromString("""{"version":"perfect"}"""));

        var result = await new BlobRetrainJob(training, models).RunAsync(RetrainData.TinyOptions(fromScratch: false), CancellationToken.None);

        Assert.False(result.Promoted);
        Assert.Equal("perfect", result.Manifest.Promotion?.CurrentVersion);
        Assert.Equal(1.0, result.Manifest.Promotion?.CurrentF1);
        Assert.Equal("perfect", await PointerAsync(models));
        using var evt = JsonDocument.Parse((await models.GetBlobClient($"{result.Manifest.Version}/event.json").DownloadContentAsync()).Value.Content.ToMemory());
        Assert.Equal("model.rejected", evt.RootElement.GetProperty("type").GetString());
        Assert.Equal("perfect", evt.RootElement.GetProperty("current").GetProperty("version").GetString());
    }

    private async Task<(BlobContainerClient Training, BlobContainerClient Models)> ContainersAsync()
    {
        // Each test gets its own account-level containers by name suffix so tests stay independent on one Azurite.
        var service = new BlobServiceClient(azurite.ConnectionString);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var training = service.GetBlobContainerClient($"training-{suffix}");
        var models = service.GetBlobContainerClient($"models-{suffix}");
        await training.CreateAsync();
        await models.CreateAsync();
        return (training, models);
    }

    private static async Task<string?> PointerAsync(BlobContainerClient models)
    {
        using var pointer = JsonDocument.Parse((await models.GetBlobClient("current.json").DownloadContentAsync()).Value.Content.ToMemory());
        return pointer.RootElement.GetProperty("version").GetString();
    }
}
