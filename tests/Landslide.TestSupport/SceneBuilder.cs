using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Raster;
using Landslide.Raster.Writers;

namespace Landslide.TestSupport;

/// <summary>
/// Writes small GeoTIFF scenes with real GDAL: by default 14 float32 bands, 64 x 64 px of 10 m in
/// EPSG:32645 (UTM 45N), nodata -9999. Every setting can be changed to build bad scenes too.
/// </summary>
/// <example><code>
/// using var temp = new TempDirectory();
/// var path = new SceneBuilder { Width = 256, Height = 200 }.Write(temp.File("scene.tif"), (band, x, y) => band + x * 0.01f);
/// </code></example>
public sealed class SceneBuilder
{
    public int Width { get; init; } = 64;

    public int Height { get; init; } = 64;

    public int BandCount { get; init; } = ModelContract.InputBands;

    public BandDataType BandType { get; init; } = BandDataType.Float32;

    /// <summary>EPSG code of the CRS; null writes no CRS.</summary>
    public int? Epsg { get; init; } = 32645;

    public double PixelSize { get; init; } = 10;

    /// <summary>Upper-left corner (easting, northing) in the CRS.</summary>
    public double OriginX { get; init; } = 500_000;

    public double OriginY { get; init; } = 3_100_000;

    /// <summary>Nodata of every band; null declares none.</summary>
    public double? NoData { get; init; } = -9999;

    /// <summary>The header the written scene will have.</summary>
    public SceneInfo Layout => new(
        Width,
        Height,
        [.. Enumerable.Repeat(BandType, BandCount)],
        new GeoTransform(OriginX, PixelSize, 0, OriginY, 0, -PixelSize),
        Epsg is { } epsg ? SpatialReferences.WktFromEpsg(epsg) : string.Empty,
        Epsg,
        IsProjected: Epsg is not null and not 4326,
        NoData);

    /// <summary>Writes a scene whose value at (band 0-based, x, y) comes from <paramref name="value"/>; returns the path.</summary>
    public string Write(string path, Func<int, int, int, float> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var writer = GeoTiffWriter.Create(path, Layout);

        // Row blocks keep memory small for larger test scenes.
        const int BlockRows = 64;
        var block = new float[BandCount * Width * Math.Min(BlockRows, Height)];
        for (var y0 = 0; y0 < Height; y0 += BlockRows)
        {
            var rows = Math.Min(BlockRows, Height - y0);
            var plane = rows * Width;
            for (var b = 0; b < BandCount; b++)
            {
                for (var r = 0; r < rows; r++)
                {
                    for (var x = 0; x < Width; x++)
                    {
                        block[(b * plane) + (r * Width) + x] = value(b, x, y0 + r);
                    }
                }
            }

            writer.WriteWindow(0, y0, Width, rows, block.AsSpan(0, BandCount * plane));
        }

        writer.Complete();
        return path;
    }

    /// <summary>Writes a scene from band-sequential values (band, row, column); returns the path.</summary>
    public string Write(string path, ReadOnlySpan<float> bandSequential)
    {
        using var writer = GeoTiffWriter.Create(path, Layout);
        writer.WriteWindow(0, 0, Width, Height, bandSequential);
        writer.Complete();
        return path;
    }

    /// <summary>
    /// Writes real Landslide4Sense patch <paramref name="id"/> (128 x 128, 14 bands, L4S scale) as a GeoTIFF on this
    /// builder's grid and CRS (size and band count must be the defaults for a patch: 128 x 128 x 14). Needs the real data.
    /// </summary>
    public static string WriteRealPatch(string path, int id) =>
        new SceneBuilder { Width = ModelContract.TileSize, Height = ModelContract.TileSize, NoData = null }.Write(path, RealPatches.ReadImage(id));
}
