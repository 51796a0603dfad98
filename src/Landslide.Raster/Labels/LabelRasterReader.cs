using Landslide.Core.Scenes;
using Landslide.Raster.Interop;
using Landslide.Raster.Scenes;

namespace Landslide.Raster.Labels;

/// <summary>Reads label rasters (one band of 0 / 1 / 255) row by row: counts, CRS comparison, copies.</summary>
public static class LabelRasterReader
{
    /// <summary>Pixels of each label value in band 1 of <paramref name="path"/>, read in row strips.</summary>
    public static LabelCounts Count(string path)
    {
        using var raster = RasterScene.Open(path);
        var info = raster.Info;
        const int Rows = 256;
        var buffer = new float[info.Width * Math.Min(Rows, info.Height)];
        long landslide = 0, background = 0, unlabelled = 0, other = 0;
        for (var y = 0; y < info.Height; y += Rows)
        {
            var h = Math.Min(Rows, info.Height - y);
            var span = buffer.AsSpan(0, info.Width * h);
            raster.ReadWindow(0, y, info.Width, h, [1], span);
            foreach (var v in span)
            {
                switch (v)
                {
                    case LabelValues.Landslide: landslide++; break;
                    case LabelValues.Background: background++; break;
                    case LabelValues.Unlabelled: unlabelled++; break;
                    default: other++; break;
                }
            }
        }

        return new LabelCounts(landslide, background, unlabelled, other);
    }

    /// <summary>True when two CRS (WKT) describe the same reference system (OSRIsSame).</summary>
    public static bool SameCrs(string wktA, string wktB)
    {
        if (string.IsNullOrWhiteSpace(wktA) || string.IsNullOrWhiteSpace(wktB))
        {
            return string.IsNullOrWhiteSpace(wktA) && string.IsNullOrWhiteSpace(wktB);
        }

        using var a = SpatialReferenceHandle.FromWkt(wktA);
        using var b = SpatialReferenceHandle.FromWkt(wktB);
        return a.IsSame(b);
    }

    /// <summary>Copies band 1 of <paramref name="source"/> to a uint8 GeoTIFF on <paramref name="grid"/> (nodata 255).</summary>
    public static void CopyAsLabels(string source, SceneInfo grid, string destination)
    {
        ArgumentNullException.ThrowIfNull(grid);
        using var input = RasterScene.Open(source);
        var layout = grid with { BandTypes = [BandDataType.Byte], NoData = LabelValues.Unlabelled };
        using var writer = Writers.GeoTiffWriter.Create(destination, layout);
        const int Rows = 256;
        var buffer = new float[grid.Width * Math.Min(Rows, grid.Height)];
        for (var y = 0; y < grid.Height; y += Rows)
        {
            var h = Math.Min(Rows, grid.Height - y);
            var span = buffer.AsSpan(0, grid.Width * h);
            input.ReadWindow(0, y, grid.Width, h, [1], span);
            writer.WriteWindow(0, y, grid.Width, h, span);
        }

        writer.Complete();
    }
}
