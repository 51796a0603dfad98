using Landslide.Core.Features;
using Landslide.Core.Segmentation;
using Landslide.TestSupport;
using PureHDF;
using Xunit.Abstractions;

namespace Landslide.Core.Tests.Features;

/// <summary>The C# features against the numpy + OpenCV reference of the 21 real patches (docs/MODEL.md tolerances).</summary>
public sealed class FeatureExtractorGoldenTests(ITestOutputHelper output)
{
    private const int Pixels = ModelContract.PixelsPerTile;

    public static TheoryData<int> Ids => [.. SharedData.AllIds];

    [RealDataTheory]
    [MemberData(nameof(Ids))]
    public void Compute_MatchesReference(int id)
    {
        var bands = ReadChw(SharedData.ImagePath(id), "img", ModelContract.InputBands);
        var expected = ReadChw(SharedData.FeaturePath(id), "features", ModelContract.FeatureChannels);
        var actual = new float[ModelContract.FeatureValuesPerTile];

        FeatureExtractor.Compute(bands, actual);

        for (var c = 0; c <= 20; c++)
        {
            var worst = 0.0;
            var at = -1;
            for (var i = 0; i < Pixels; i++)
            {
                var diff = Math.Abs((double)actual[(c * Pixels) + i] - expected[(c * Pixels) + i]);
                if (!(diff <= worst))
                {
                    worst = diff;
                    at = i;
                }
            }

            output.WriteLine($"channel {c}: max abs diff {worst:E2}");
            if (worst > 1e-5)
            {
                Assert.Fail($"patch {id} channel {c}: max abs diff {worst:E3} at pixel {at} (expected {expected[(c * Pixels) + at]}, got {actual[(c * Pixels) + at]})");
            }
        }

        for (var c = 21; c <= 22; c++)
        {
            var equal = 0;
            for (var i = 0; i < Pixels; i++)
            {
                if (Math.Round(actual[(c * Pixels) + i] * 255.0) == Math.Round(expected[(c * Pixels) + i] * 255.0))
                {
                    equal++;
                }
            }

            var share = equal / (double)Pixels;
            output.WriteLine($"channel {c}: {Pixels - equal} pixels differ");
            Assert.True(share >= 0.999, $"patch {id} channel {c}: only {share:P3} of pixels equal after rounding to 1/255");
        }
    }

    /// <summary>Reads a (128, 128, C) channels-last dataset into CHW float32 (float64 values cast to the nearest float).</summary>
    internal static float[] ReadChw(string path, string dataset, int channels)
    {
        using var file = H5File.OpenRead(path);
        var data = file.Dataset(dataset);
        var hwc = data.Type.Size == 8
            ? data.Read<double[]>()
            : [.. data.Read<float[]>().Select(v => (double)v)];
        Assert.Equal(Pixels * channels, hwc.Length);
        var chw = new float[hwc.Length];
        for (var p = 0; p < Pixels; p++)
        {
            for (var c = 0; c < channels; c++)
            {
                chw[(c * Pixels) + p] = (float)hwc[(p * channels) + c];
            }
        }

        return chw;
    }
}
