using System.Globalization;
using System.Runtime.InteropServices;
using Landslide.Pipeline.Mapping;

namespace Landslide.Pipeline.Chunks;

/// <summary>
/// The chunk file format, both sides of it: a chunk's final probability rows as raw little-endian float32 (NaN =
/// nodata), the scene's full width, in blob work/{run}/chunk-NNNNN.f32 with metadata start_row and rows. The chunk
/// worker writes one (to a temp file as the tile-row mapper hands rows over, so a chunk never holds more than one
/// block of rows in memory) and uploads it with <see cref="Metadata"/>; the finalizer reads it back in row order
/// with <see cref="ReadMetadata"/>.
/// </summary>
internal sealed class ChunkRowsFile(string path, int width) : ITileRowSink, IDisposable
{
    /// <summary>Blob metadata: the first scene row in the file.</summary>
    public const string StartRowMetadata = "start_row";

    /// <summary>Blob metadata: how many full-width rows the file holds.</summary>
    public const string RowsMetadata = "rows";

    private readonly FileStream _stream = new(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    /// <summary>First scene row written; -1 before any.</summary>
    public int StartRow { get; private set; } = -1;

    public int Rows { get; private set; }

    public Stream Stream => _stream;

    public void OnRows(int startRow, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> strip, int stripY, int stripRows)
    {
        if (StartRow < 0)
        {
            StartRow = startRow;
        }
        else if (startRow != StartRow + Rows)
        {
            throw new InvalidOperationException($"rows arrived out of order: expected row {StartRow + Rows}, got {startRow}");
        }

        _stream.Write(MemoryMarshal.AsBytes(probabilities));
        Rows += probabilities.Length / width;
    }

    /// <summary>Chunk <paramref name="index"/>'s blob in container work.</summary>
    public static string BlobName(string runId, int index) => FormattableString.Invariant($"{runId}/chunk-{index:D5}.f32");

    /// <summary>The first row and row count a chunk blob's metadata records.</summary>
    /// <exception cref="InvalidDataException">The metadata lacks them or they do not parse.</exception>
    public static (int StartRow, int Rows) ReadMetadata(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.TryGetValue(StartRowMetadata, out var start) && int.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out var startRow)
            && metadata.TryGetValue(RowsMetadata, out var count) && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            ? (startRow, rows)
            : throw new InvalidDataException($"chunk blob metadata lacks {StartRowMetadata} or {RowsMetadata}");
    }

    /// <summary>The blob metadata of the rows written so far.</summary>
    public Dictionary<string, string> Metadata() => new()
    {
        [StartRowMetadata] = StartRow.ToString(CultureInfo.InvariantCulture),
        [RowsMetadata] = Rows.ToString(CultureInfo.InvariantCulture),
    };

    public void Rewind()
    {
        _stream.Flush();
        _stream.Position = 0;
    }

    public void Dispose() => _stream.Dispose();
}
