using Azure.Storage.Blobs;
using Landslide.TestSupport;
using Landslide.Training.Labels;
using Landslide.Training.Retraining;
using Landslide.Training.Storage;

namespace Landslide.Training.Tests;

/// <summary>Fills training/ on Azurite through the real `training add` code path: labelled mosaics of real patches + L4S HDF5 patches.</summary>
internal static class RetrainData
{
    public const double Share = 0.5;

    /// <summary>The first candidate name the hash split trains on (or holds out).</summary>
    public static string Name(string prefix, bool heldOut) =>
        Enumerable.Range(0, 100).Select(i => $"{prefix}-{i}").First(n => EvaluationSplit.IsHeldOut(n, Share) == heldOut);

    public static async Task AddPairAsync(BlobContainerClient training, string work, string name, int[] ids)
    {
        var folder = Path.Combine(work, name);
        var (scene, polygons, _) = LabelledMosaic.Write(folder, ids, columns: ids.Length);
        var pair = LabelledPairPreparer.Prepare(scene, polygons, "l4s", name, Path.Combine(folder, "work"));
        await new TrainingStore(training).UploadAsync(pair, CancellationToken.None);
    }

    public static async Task AddPatchAsync(BlobContainerClient training, int id)
    {
        await training.GetBlobClient($"l4s/img/image_{id}.h5").UploadAsync(SharedData.ImagePath(id), overwrite: true);
        await training.GetBlobClient($"l4s/mask/mask_{id}.h5").UploadAsync(SharedData.MaskPath(id), overwrite: true);
    }

    public static RetrainJobOptions TinyOptions(int epochs = 1, bool fromScratch = true) => new()
    {
        Training = new TrainingOptions
        {
            Model = new Modeling.RauNetOptions { Width = 4 },
            Epochs = epochs,
            BatchSize = 2,
            PlainFinalEpochs = 0,
            Device = TrainingDevice.Cpu,
            LearningRateScale = 10,
        },
        FromScratch = fromScratch,
        HeldOutShare = Share,
    };
}
