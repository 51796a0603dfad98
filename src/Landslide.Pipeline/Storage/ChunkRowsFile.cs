using System.Runtime.InteropServices;
using Landslide.Pipeline.Mapping;

namespace Landslide.Pipeline.Storage;

/// <summary>
/// A chunk's final probability rows as raw little-endian float32 (NaN = nodata), written to a temp file as the
/// tile-row mapper hands them over, so a chunk never holds more than one block of rows in memory.
/// </summary>
internal sealed class ChunkRowsFile(string path, int width) : ITileRowSink, IDisposable
{
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

    public void Rewind()
    {
        _stream.Flush();
        _stream.Position = 0;
    }

    public void Dispose() => _stream.Dispose();
}
