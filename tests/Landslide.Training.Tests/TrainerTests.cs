using Landslide.TestSupport;
using Landslide.Training.Modeling;
using static TorchSharp.torch;

namespace Landslide.Training.Tests;

public sealed class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("landslide-training-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [RealDataFact]
    public void Train_LowersTheLossOverAFewStepsOnRealPatches()
    {
        var tiles = RealTiles.TrainTiles.Where(t => t.HasLandslide).Take(3).ToList();
        var options = new TrainingOptions
        {
            Model = new RauNetOptions { Width = 4 },
            Epochs = 6,
            BatchSize = 3,
            Augment = false,
            LearningRateScale = 5,
            Device = TrainingDevice.Cpu,
        };

        var result = new Trainer(options).Train(tiles, null, CancellationToken.None);
        result.Model.Dispose();

        var losses = result.History.Select(h => h.MeanLoss).ToList();
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));

        // Each epoch records the mean loss of every head; their 0.25 / 0.5 / 0.25 sum is the recorded total.
        Assert.All(result.History, h =>
        {
            Assert.NotNull(h.Heads);
            Assert.True(h.Heads.Head256 > 0 && h.Heads.Head128 > 0 && h.Heads.Head64 > 0);
            var weighted = (0.25 * h.Heads.Head256) + (0.5 * h.Heads.Head128) + (0.25 * h.Heads.Head64);
            Assert.True(Math.Abs(weighted - h.MeanLoss) <= 1e-5 * Math.Max(1, h.MeanLoss), $"epoch {h.Epoch}: heads give {weighted}, total {h.MeanLoss}");
        });
        Assert.True(losses[^1] < losses[0] * 0.95, $"loss went {string.Join(" -> ", losses.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [RealDataFact]
    public void Checkpoint_RoundTripGivesIdenticalOutputs_AndTrainingResumesAfterTheSavedEpoch()
    {
        var tiles = RealTiles.TrainTiles.Take(2).ToList();
        var options = new TrainingOptions
        {
            Model = new RauNetOptions { Width = 4 },
            Epochs = 1,
            BatchSize = 2,
            CheckpointDirectory = _dir,
            Device = TrainingDevice.Cpu,
        };
        var first = new Trainer(options).Train(tiles, null, CancellationToken.None);
        using var trained = first.Model;
        using var loaded = TrainingCheckpoint.LoadModel(_dir);
        using var x = Trainer.MakeBatch(RealTiles.HoldoutTiles.Take(1).ToList(), null, CPU).Features;

        using var expected = trained.PredictProbability(x);
        using var actual = loaded.PredictProbability(x);

        Assert.True(expected.eq(actual).all().item<bool>(), "the loaded checkpoint must reproduce the trained model exactly");

        var resumed = new Trainer(options with { Epochs = 2 }).Train(tiles, null, CancellationToken.None);
        resumed.Model.Dispose();
        Assert.Equal([0, 1], resumed.History.Select(h => h.Epoch));
        Assert.Equal(first.History[0].MeanLoss, resumed.History[0].MeanLoss);
        Assert.Equal(2, TrainingCheckpoint.ReadState(_dir).CompletedEpochs);
    }

    [RealDataFact]
    public void Checkpoint_WithAnotherFingerprint_IsNotResumed_TheRunStartsFresh()
    {
        var tiles = RealTiles.TrainTiles.Take(2).ToList();
        var options = new TrainingOptions
        {
            Model = new RauNetOptions { Width = 4 },
            Epochs = 1,
            BatchSize = 2,
            CheckpointDirectory = _dir,
            CheckpointFingerprint = "sha256:settings-a",
            Device = TrainingDevice.Cpu,
        };
        new Trainer(options).Train(tiles, null, CancellationToken.None).Model.Dispose();

        var other = new Trainer(options with { Epochs = 2, CheckpointFingerprint = "sha256:settings-b" }).Train(tiles, null, CancellationToken.None);
        other.Model.Dispose();
        var same = new Trainer(options with { Epochs = 3, CheckpointFingerprint = "sha256:settings-b" }).Train(tiles, null, CancellationToken.None);
        same.Model.Dispose();

        Assert.Equal([0, 1], other.History.Select(h => h.Epoch)); // started at epoch 0, not after the other run's epoch 1
        Assert.Equal([0, 1, 2], same.History.Select(h => h.Epoch)); // the same fingerprint resumes after epoch 2
        Assert.Equal(other.History[1].MeanLoss, same.History[1].MeanLoss);
        Assert.Equal("sha256:settings-b", TrainingCheckpoint.ReadState(_dir).Fingerprint);
    }

    [Fact]
    public void LearningRate_FollowsTheStepScheduleOfModelMd()
    {
        Assert.Equal(1e-4, LearningRateSchedule.ForEpoch(0));
        Assert.Equal(1e-4, LearningRateSchedule.ForEpoch(7));
        Assert.Equal(5e-5, LearningRateSchedule.ForEpoch(8));
        Assert.Equal(1e-6, LearningRateSchedule.ForEpoch(41));
        Assert.Equal(5e-7, LearningRateSchedule.ForEpoch(49));
        Assert.Equal(1e-7, LearningRateSchedule.ForEpoch(64));
    }
}
