using Landslide.Core.Scenes;
using Landslide.Training.Data;
using Landslide.TestSupport;

namespace Landslide.Training.Tests;

public sealed class SceneLabelTileSourceTests : IDisposable
{
    private readonly TempDirectory _temp = new("pairs");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Tiles_CoverTheLabelledPart_WithLabelsAndIgnoredPadding()
    {
        // 200 x 150 scene: 2 x 2 tiles at overlap 0; the right column and bottom row pass the edge (padding).
        var scene = new SceneBuilder { Width = 200, Height = 150 }.Write(_temp.File("scene.tif"), (b, x, y) => 1f + (0.001f * x));
        var label = new SceneBuilder { Width = 200, Height = 150, BandCount = 1, BandType = BandDataType.Byte, NoData = 255 }
            .Write(_temp.File("label.tif"), (b, x, y) => x < 128 && y < 128 ? 255f : x is >= 140 and < 150 ? 1f : 0f);

        var source = new SceneLabelTileSource(scene, label, BandProfile.L4s);

        // The top-left tile holds only nodata labels: skipped.
        Assert.Equal(["scene_r0_c1", "scene_r1_c0", "scene_r1_c1"], source.Ids);
        var tile = source.Load("scene_r0_c1");
        Assert.Equal(1, tile.Mask[(5 * 128) + (140 - 128)]);
        Assert.Equal(0, tile.Mask[(5 * 128) + (160 - 128)]);
        Assert.Equal(LabelledTile.IgnoreLabel, tile.Mask[(5 * 128) + 100]); // past the scene's right edge
        Assert.True(tile.HasLandslide);
        Assert.All(tile.Features, v => Assert.True(float.IsFinite(v)));
        Assert.StartsWith("sha256:", source.Fingerprint(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RefusesALabelOnAnotherGrid()
    {
        var scene = new SceneBuilder { Width = 200, Height = 150 }.Write(_temp.File("scene.tif"), (b, x, y) => 1f);
        var label = new SceneBuilder { Width = 100, Height = 150, BandCount = 1, BandType = BandDataType.Byte }
            .Write(_temp.File("label.tif"), (b, x, y) => 0f);

        var error = Assert.Throws<TrainingDataException>(() => new SceneLabelTileSource(scene, label, BandProfile.L4s));

        Assert.Equal(TrainingDataError.SizeMismatch, error.Code);
    }
}
