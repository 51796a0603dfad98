using Landslide.Core.Scenes;
using Landslide.Raster.Interop;

namespace Landslide.Raster.Writers;

/// <summary>Writes an RGB PNG quicklook (MEM dataset, then PNG CreateCopy). The caller picks the colours and the size.</summary>
public static class QuicklookWriter
{
    /// <summary>Writes a PNG from pixel-interleaved RGB bytes (r, g, b, r, g, b, ... row by row).</summary>
    public static void Write(string path, int width, int height, ReadOnlySpan<byte> rgb)
    {
        if (rgb.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"expected {(long)width * height * 3} bytes (3 x {width} x {height}), got {rgb.Length}", nameof(rgb));
        }

        var image = rgb.ToArray();
        Write(path, width, height, (row, destination) => image.AsSpan(row * width * 3, width * 3).CopyTo(destination));
    }

    /// <summary>Writes a PNG whose rows <paramref name="fillRow"/> fills (row index, 3 x width interleaved RGB bytes).</summary>
    public static unsafe void Write(string path, int width, int height, Action<int, Span<byte>> fillRow)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(fillRow);
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"a quicklook needs a positive size, got {width} x {height}");
        }

        using var memory = GdalDataset.Create("MEM", string.Empty, width, height, 3, BandDataType.Byte, null, $"a {width} x {height} quicklook");

        var row = new byte[width * 3];
        fixed (byte* data = row)
        {
            for (var y = 0; y < height; y++)
            {
                fillRow(y, row);
                var err = memory.RasterIO(write: true, 0, y, width, 1, data, BandDataType.Byte, 3, null, 3, width * 3, 1);
                GdalRuntime.Check(err, $"filling quicklook row {y}");
            }
        }

        var partialPath = OutputFiles.Sibling(path, ".partial.png");
        try
        {
            using (var png = memory.TryCreateCopy("PNG", partialPath, null, progress: null))
            {
                if (png is null)
                {
                    throw GdalRuntime.Failure($"writing PNG '{path}'");
                }
            }

            File.Move(partialPath, path, overwrite: true);
        }
        finally
        {
            OutputFiles.TryDelete(partialPath);
            OutputFiles.TryDelete(partialPath + ".aux.xml");
        }
    }
}
