namespace Landslide.Pipeline.Mapping;

/// <summary>Receives the final probability rows of a tile-row stream, top to bottom, each scene row exactly once.</summary>
public interface ITileRowSink
{
    /// <summary>
    /// Scene rows [startRow, startRow + probabilities.Length / width) are final (NaN = nodata). <paramref name="strip"/>
    /// holds the scene's raw bands (band-sequential) for rows [stripY, stripY + stripRows), which include these rows.
    /// </summary>
    void OnRows(int startRow, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> strip, int stripY, int stripRows);
}
