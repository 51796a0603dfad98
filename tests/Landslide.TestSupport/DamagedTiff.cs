using System.Buffers.Binary;

namespace Landslide.TestSupport;

/// <summary>
/// Damages a GeoTIFF written with GDAL (a classic little-endian tiled TIFF, as <see cref="SceneBuilder"/> writes) while
/// its header stays valid: garbage over one tile's compressed bytes, or the file cut short. The tile table is read
/// from the file itself, so the damage lands in pixel data, not in the header GDAL opens.
/// </summary>
public static class DamagedTiff
{
    private const ushort TileOffsetsTag = 324;
    private const ushort TileByteCountsTag = 325;

    /// <summary>Where each tile's compressed bytes lie (offset, length), in file order of the tile table.</summary>
    public static IReadOnlyList<(long Offset, long Length)> Tiles(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 || bytes[0] != (byte)'I' || bytes[1] != (byte)'I' || BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2)) != 42)
        {
            throw new InvalidDataException($"'{path}' is not a classic little-endian TIFF");
        }

        var ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(ifd));
        long[]? offsets = null, lengths = null;
        for (var i = 0; i < count; i++)
        {
            var entry = bytes.AsSpan(ifd + 2 + (12 * i), 12);
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(entry);
            if (tag is TileOffsetsTag or TileByteCountsTag)
            {
                var values = ReadLongs(bytes, entry);
                if (tag == TileOffsetsTag)
                {
                    offsets = values;
                }
                else
                {
                    lengths = values;
                }
            }
        }

        if (offsets is null || lengths is null || offsets.Length != lengths.Length)
        {
            throw new InvalidDataException($"'{path}' has no tile table (is it tiled?)");
        }

        return [.. offsets.Zip(lengths)];
    }

    /// <summary>Overwrites the middle half of tile <paramref name="index"/>'s compressed bytes with garbage.</summary>
    public static void ScrambleTile(string path, int index)
    {
        var (offset, length) = Tiles(path)[index];
        var bytes = File.ReadAllBytes(path);
        var random = new Random(index + 1);
        random.NextBytes(bytes.AsSpan((int)(offset + (length / 4)), (int)(length / 2)));
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Cuts the file at <paramref name="fraction"/> of its length.</summary>
    public static void Truncate(string path, double fraction)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength((long)(file.Length * fraction));
    }

    /// <summary>Cuts the file in the middle of the tile stored last: the pixel data ends early.</summary>
    public static void TruncateInsideLastTile(string path)
    {
        var (offset, length) = Tiles(path).MaxBy(t => t.Offset);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(offset + (length / 2));
    }

    private static long[] ReadLongs(byte[] bytes, ReadOnlySpan<byte> entry)
    {
        var type = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]);
        var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
        var size = type == 3 ? 2 : 4; // SHORT or LONG
        var data = count * size <= 4 ? entry[8..] : bytes.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]));
        var values = new long[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = size == 2
                ? BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..])
                : BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]);
        }

        return values;
    }
}
