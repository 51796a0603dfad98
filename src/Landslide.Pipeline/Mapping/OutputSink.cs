using System.Buffers;
using Landslide.Core.Blending;
using Landslide.Core.Scenes;
using Landslide.Raster.Writers;

namespace Landslide.Pipeline.Mapping;

/// <summary>Writes final rows to probability.tif and mask.tif, feeds the quicklook, and counts valid and landslide pixels.</summary>
internal sealed class OutputSink(
    CogWriter probability, CogWriter mask, QuicklookBuilder quicklook, BandProfile profile, double threshold, int width) : ITileRowSink, IDisposable
{
    private readonly byte[] _mask = ArrayPool<byte>.Shared.Rent(TileBlender.MaxRowsPerCompletion * width);

    public long ValidPixels { get; private set; }

    public long LandslidePixels { get; private set; }

    public QuicklookBuilder Quicklook => quicklook;

    public void OnRows(int startRow, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> strip, int stripY, int stripRows)
    {
        var rows = _mask.AsSpan(0, probabilities.Length);
        var (valid, landslide) = SceneMapper.Threshold(probabilities, rows, threshold);
        ValidPixels += valid;
        LandslidePixels += landslide;
        probability.WriteRows(startRow, probabilities);
        mask.WriteRows(startRow, rows);
        quicklook.AddRows(strip, stripY, stripRows, startRow, rows, profile);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_mask);
}
