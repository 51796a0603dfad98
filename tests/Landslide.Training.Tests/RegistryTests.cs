using System.Security.Cryptography;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.TestSupport;
using Landslide.Training.Modeling;
using Landslide.Training.Registry;

namespace Landslide.Training.Tests;

public sealed class RegistryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("landslide-models-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Gate_PromotesWithinTolerance_AndRejectsARegression()
    {
        var current = Manifest("v1", f1: 0.60);

        var within = PromotionGate.Decide(0.595, current, tolerance: 0.01, Now);
        var worse = PromotionGate.Decide(0.58, current, tolerance: 0.01, Now);
        var first = PromotionGate.Decide(0.1, null, tolerance: 0.01, Now);

        Assert.True(within.Promoted);
        Assert.False(worse.Promoted);
        Assert.Equal(0.60, worse.CurrentF1);
        Assert.Equal(0.58, worse.CandidateF1);
        Assert.True(first.Promoted);
    }

    [Fact]
    public void Publish_MovesCurrentOnlyWhenTheGatePasses_AndRecordsTheDecisionInTheManifest()
    {
        var registry = new ModelRegistry(_root);
        registry.Publish([1, 2, 3], Manifest("v1", 0.60), 0.01, Now);
        var rejected = registry.Publish([4, 5, 6], Manifest("v2", 0.50), 0.01, Now);

        Assert.Equal("v1", registry.Current()?.Version);
        var onDisk = ModelRegistry.Read(Path.Combine(_root, "v2"));
        Assert.False(onDisk.Promotion?.Promoted);
        Assert.Equal(0.60, onDisk.Promotion?.CurrentF1);
        Assert.Equal(0.50, onDisk.Promotion?.CandidateF1);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_root, "v2", "model.onnx")))), rejected.Sha256);

        registry.Publish([7], Manifest("v3", 0.65), 0.01, Now);
        using var pointer = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "current.json")));
        Assert.Equal("v3", pointer.RootElement.GetProperty("version").GetString());
    }

    [RealDataFact]
    public async Task Job_TrainsEvaluatesOnTheHoldoutExportsAndPublishes()
    {
        var options = new TrainingJobOptions
        {
            DataDirectory = SharedData.Folder!,
            TrainIds = [1, 512],
            RegistryRoot = _root,
            Version = "tiny-1",
            Training = new TrainingOptions
            {
                Model = new RauNetOptions { Width = 4 },
                Epochs = 1,
                BatchSize = 2,
                Device = TrainingDevice.Cpu,
            },
        };

        var result = await new TrainingJob().RunAsync(options, CancellationToken.None);

        var manifest = ModelRegistry.Read(Path.Combine(_root, "tiny-1"));
        Assert.Equal(result.Manifest, manifest with { Input = result.Manifest.Input, Output = result.Manifest.Output });
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_root, "tiny-1", "model.onnx")))), manifest.Sha256);
        Assert.Equal(4, manifest.Width);
        Assert.Equal(ModelContract.FeatureVersion, manifest.FeatureVersion);
        Assert.StartsWith("l4s-holdout-6", manifest.Metrics?.EvaluatedOn, StringComparison.Ordinal);
        Assert.StartsWith("sha256:", manifest.TrainingDataFingerprint, StringComparison.Ordinal);
        Assert.True(manifest.Promotion?.Promoted);
        Assert.Equal(6, result.Holdout.TileIds.Count);
        Assert.Equal("tiny-1", new ModelRegistry(_root).Current()?.Version);
    }

    [RealDataFact]
    public async Task Job_RefusesToTrainOnHoldoutTiles()
    {
        var options = new TrainingJobOptions { DataDirectory = SharedData.Folder!, TrainIds = [1, 2], OutputDirectory = _root };

        var ex = await Assert.ThrowsAsync<Data.TrainingDataException>(() => new TrainingJob().RunAsync(options, CancellationToken.None));

        Assert.Equal(Data.TrainingDataError.HoldoutLeak, ex.Code);
    }

    private static ModelManifest Manifest(string version, double f1) => new()
    {
        Version = version,
        Sha256 = new string('0', 64),
        FeatureVersion = ModelContract.FeatureVersion,
        Input = ModelManifest.ContractInput,
        Output = ModelManifest.ContractOutput,
        Metrics = new ModelMetrics { EvaluatedOn = "test", F1 = f1 },
        CreatedAt = Now,
    };
}
