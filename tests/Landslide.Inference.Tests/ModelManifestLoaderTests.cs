using System.Text;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.Inference;
using Landslide.TestSupport;

namespace Landslide.Inference.Tests;

public sealed class ModelManifestLoaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("landslide-manifest-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Manifest_IsWrittenInSnakeCase_AndReadsBack()
    {
        var manifest = TinyOnnxModels.ManifestFor("v3", TinyOnnxModels.ChannelSum(0)) with
        {
            Width = 32,
            Metrics = new ModelMetrics { EvaluatedOn = "l4s holdout", F1 = 0.61, MeanIou = 0.72 },
        };

        var json = JsonSerializer.Serialize(manifest);
        var back = ModelManifestLoader.Parse(Encoding.UTF8.GetBytes(json));

        using var document = JsonDocument.Parse(json);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("feature_version", names);
        Assert.Contains("training_data_fingerprint", names);
        Assert.Contains("created_at", names);
        Assert.Equal([-1, 23, 128, 128], document.RootElement.GetProperty("input").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(0.72, document.RootElement.GetProperty("metrics").GetProperty("mean_iou").GetDouble());
        Assert.Equal(new ModelDescriptor("v3", manifest.Sha256, 0.5, ModelContract.FeatureVersion, 32), back.ToDescriptor());
        Assert.Equal(manifest.CreatedAt, back.CreatedAt);
    }

    [Fact]
    public void Load_ChecksTheSha256OfModelOnnx()
    {
        var folder = TinyOnnxModels.WriteVersionFolder(_root, "v1", TinyOnnxModels.ChannelSum(0));
        Assert.Equal("v1", ModelManifestLoader.Load(folder).Version);

        // The model is replaced after the manifest was written: the loader must notice.
        File.WriteAllBytes(Path.Combine(folder, ModelManifest.ModelFileName), TinyOnnxModels.ChannelSum(1));

        var error = Assert.Throws<ModelContractException>(() => ModelManifestLoader.Load(folder));
        Assert.Equal(ModelContractError.Sha256Mismatch, error.Code);
    }

    [Theory]
    [InlineData("{ not json", ModelContractError.InvalidManifest, "not valid")]
    [InlineData("""{"version":"v1","sha256":"abc","feature_version":"l4s-23.v1","input":{"name":"features","shape":[-1,23,128,128]},"output":{"name":"probability","shape":[-1,1,128,128]}}""", ModelContractError.InvalidManifest, "sha256")]
    [InlineData("""{"version":"v1","sha256":"0000000000000000000000000000000000000000000000000000000000000000","feature_version":"l4s-14.v0","input":{"name":"features","shape":[-1,23,128,128]},"output":{"name":"probability","shape":[-1,1,128,128]}}""", ModelContractError.FeatureVersionMismatch, "l4s-14.v0")]
    [InlineData("""{"version":"v1","sha256":"0000000000000000000000000000000000000000000000000000000000000000","feature_version":"l4s-23.v1","input":{"name":"features","shape":[-1,14,128,128]},"output":{"name":"probability","shape":[-1,1,128,128]}}""", ModelContractError.InvalidManifest, "input.shape")]
    [InlineData("""{"version":"v1","sha256":"0000000000000000000000000000000000000000000000000000000000000000","feature_version":"l4s-23.v1","input":{"name":"features","shape":[-1,23,128,128]},"output":{"name":"probability","shape":[-1,1,128,128]},"threshold":1.5}""", ModelContractError.InvalidManifest, "threshold")]
    [InlineData("""{"version":"v1","feature_version":"l4s-23.v1"}""", ModelContractError.InvalidManifest, "sha256")]
    public void Parse_RefusesBadManifest_NamingTheField(string json, ModelContractError code, string named)
    {
        var error = Assert.Throws<ModelContractException>(() => ModelManifestLoader.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(code, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderWithoutManifest_IsRefused()
    {
        var error = Assert.Throws<ModelContractException>(() => ModelManifestLoader.Load(_root));

        Assert.Equal(ModelContractError.InvalidManifest, error.Code);
        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
    }
}
