using Landslide.Inference;
using Landslide.Pipeline.Mapping;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Landslide.Pipeline.Tests.Mapping;

public sealed class EmbeddedModelMappingTests : IDisposable
{
    private readonly TempDirectory _temp = new("embedded");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheBuildCarriesTheEmbeddedModel()
    {
        Assert.True(EmbeddedModel.IsAvailable, "models/embedded/model.onnx was missing at build time");
        using var segmenter = EmbeddedModel.Open(new InferenceOptions());
        Assert.StartsWith("embedded-", segmenter.Model.Version, StringComparison.Ordinal);
    }

    [RealDataFact]
    public async Task Map_HoldoutMosaic_BeatsTheAllLandslideGuess()
    {
        // The six holdout patches laid out as one 384 x 256 scene in UTM, mapped end to end like a user's scene.
        var scenePath = RealPatches.WriteMosaic(_temp.Path, SharedData.HoldoutIds, columns: 3);
        using var segmenter = EmbeddedModel.Open(new InferenceOptions());
        var mapper = new SceneMapper(segmenter, NullLogger<SceneMapper>.Instance);

        var result = await mapper.MapAsync(new MapRequest(scenePath, _temp.File("out"), new MapOptions()), null, CancellationToken.None);

        var truth = Read(_temp.File("truth.tif"));
        var mask = Read(Path.Combine(result.OutputDirectory, OutputNames.Mask));
        long tp = 0, fp = 0, fn = 0, positives = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            var actual = truth[i] == 1;
            var predicted = mask[i] == 1;
            positives += actual ? 1 : 0;
            tp += actual && predicted ? 1 : 0;
            fp += !actual && predicted ? 1 : 0;
            fn += actual && !predicted ? 1 : 0;
        }

        var share = positives / (double)truth.Length;
        var guessF1 = 2 * share / (1 + share);
        var f1 = 2.0 * tp / ((2.0 * tp) + fp + fn);
        Assert.True(f1 > guessF1, $"landslide F1 of the map {f1:F3} does not beat calling every pixel a landslide ({guessF1:F3})");
    }

    private static float[] Read(string path)
    {
        using var raster = RasterScene.Open(path);
        var values = new float[raster.Info.Width * raster.Info.Height];
        raster.ReadWindow(0, 0, raster.Info.Width, raster.Info.Height, values);
        return values;
    }
}
