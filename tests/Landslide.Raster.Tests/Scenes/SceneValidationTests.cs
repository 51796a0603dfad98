using System.Security.Cryptography;
using Landslide.Core.Scenes;
using Landslide.Raster.Scenes;
using Landslide.TestSupport;

namespace Landslide.Raster.Tests.Scenes;

/// <summary>Header validation (Core's SceneValidator) on real files written by GDAL.</summary>
public sealed class SceneValidationTests : IDisposable
{
    private readonly TempDirectory _temp = new("raster-validate");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, SceneError, string> BadScenes => new()
    {
        { "three-bands", SceneError.WrongBandCount, "expected 14 bands (B1-B12 without B8A, slope, DEM), found 3" },
        { "complex", SceneError.NonNumericType, "band 1 has type CFloat32" },
        { "no-crs", SceneError.MissingCrs, "no coordinate reference system" },
        { "geographic", SceneError.GeographicCrs, "EPSG:4326, a geographic CRS" },
    };

    private static SceneBuilder Builder(string kind) => kind switch
    {
        "three-bands" => new SceneBuilder { BandCount = 3 },
        "complex" => new SceneBuilder { BandType = BandDataType.CFloat32 },
        "no-crs" => new SceneBuilder { Epsg = null },
        "geographic" => new SceneBuilder { Epsg = 4326, OriginX = 85.3, OriginY = 28.2, PixelSize = 0.0001 },
        _ => new SceneBuilder(),
    };

    [Theory]
    [MemberData(nameof(BadScenes))]
    public void Validate_RejectsBadScenes_WithTheirCode_AndLeavesTheFileUnchanged(string kind, SceneError code, string message)
    {
        var path = Builder(kind).Write(_temp.File($"{kind}.tif"), (b, x, y) => b + x + y);
        var before = SHA256.HashData(File.ReadAllBytes(path));

        SceneRejectedException error;
        using (var scene = RasterScene.Open(path))
        {
            error = Assert.Throws<SceneRejectedException>(() => new SceneValidator().Validate(scene.Info));
        }

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
        Assert.False(File.Exists(path + ".aux.xml"), "validation must not write sidecar files");
    }

    [Fact]
    public void Validate_AcceptsAGoodScene_AndLeavesItUnchanged()
    {
        var path = new SceneBuilder().Write(_temp.File("good.tif"), (b, x, y) => b + x + y);
        var before = SHA256.HashData(File.ReadAllBytes(path));

        using (var scene = RasterScene.Open(path))
        {
            new SceneValidator().Validate(scene.Info);
            scene.ThrowIfAllNodata();
        }

        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Validate_RejectsAnAbsurdSize_AgainstTheLimits()
    {
        var path = new SceneBuilder { Width = 200, Height = 10 }.Write(_temp.File("wide.tif"), (_, _, _) => 1);
        using var scene = RasterScene.Open(path);
        var validator = new SceneValidator(new SceneLimits { MaxWidth = 100, MaxHeight = 100, MaxPixels = 10_000 });

        var error = Assert.Throws<SceneRejectedException>(() => validator.Validate(scene.Info));

        Assert.Equal(SceneError.AbsurdSize, error.Code);
        Assert.Contains("the scene is 200 x 10 pixels; the limit is 100 x 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsTooManyPixels_EvenWhenEachSideFits()
    {
        var info = new SceneBuilder { Width = 90, Height = 90 }.Layout;

        var error = Assert.Throws<SceneRejectedException>(
            () => new SceneValidator(new SceneLimits { MaxWidth = 100, MaxHeight = 100, MaxPixels = 8_000 }).Validate(info));

        Assert.Equal(SceneError.AbsurdSize, error.Code);
    }

    [Fact]
    public void Validate_RejectsAZeroSize()
    {
        // GDAL cannot create a 0 x N file, so the header is built directly.
        var info = new SceneBuilder().Layout with { Width = 0 };

        var error = Assert.Throws<SceneRejectedException>(() => new SceneValidator().Validate(info));

        Assert.Equal(SceneError.EmptySize, error.Code);
        Assert.Contains("0 x 64 pixels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SceneLimits_AreValidatedByDataAnnotations()
    {
        var limits = new SceneLimits { MaxWidth = 0 };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            limits, new System.ComponentModel.DataAnnotations.ValidationContext(limits), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(SceneLimits.MaxWidth)));
    }
}
