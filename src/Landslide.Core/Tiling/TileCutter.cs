using System.Numerics.Tensors;
using Landslide.Core.Features;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;

namespace Landslide.Core.Tiling;

/// <summary>
/// Cuts one 14 x 128 x 128 model tile out of a full-width, band-sequential row strip of a scene, in model scale,
/// with a validity mask. Pixels past the scene edge are filled by reflection (reflect-101, so features near the edge
/// see plausible texture) and marked invalid. A pixel is also invalid where any band is NaN, infinite or equal to
/// the nodata value; those values are replaced by the mean of that band over the tile's usable pixels (1, the
/// Landslide4Sense dataset mean, when there are none), which keeps every feature finite without dragging the
/// tile's min-max channels towards an arbitrary constant. Not thread-safe: one cutter per worker.
/// </summary>
public sealed class TileCutter
{
    private const int Size = ModelContract.TileSize;
    private const int Pixels = ModelContract.PixelsPerTile;
    private const int Bands = ModelContract.InputBands;

    private readonly float[] _scale;
    private readonly float _noData;
    private readonly bool _hasNoData;
    private readonly byte[] _bad = new byte[Pixels];
    private readonly int[] _columns = new int[Size];

    /// <param name="sceneWidth">Scene width in pixels.</param>
    /// <param name="sceneHeight">Scene height in pixels.</param>
    /// <param name="profile">Band profile: its scale takes raw values to model scale.</param>
    /// <param name="noData">Raw nodata value; null takes the profile's (if any).</param>
    public TileCutter(int sceneWidth, int sceneHeight, BandProfile profile, double? noData = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sceneWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sceneHeight, 1);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Scale.Length != Bands)
        {
            throw new ArgumentException($"band profile '{profile.Name}' has {profile.Scale.Length} scales, expected {Bands}", nameof(profile));
        }

        SceneWidth = sceneWidth;
        SceneHeight = sceneHeight;
        _scale = profile.Scale.ToArray();
        var effective = noData ?? profile.NoData;
        _hasNoData = effective is { } nd && !double.IsNaN(nd);
        _noData = (float)(effective ?? 0);
    }

    public int SceneWidth { get; }

    public int SceneHeight { get; }

    /// <summary>
    /// Scene rows [Start, End) a strip must hold to cut tiles whose top row is <paramref name="tileY"/>, reflected
    /// rows past the bottom edge included.
    /// </summary>
    public (int Start, int End) SourceRows(int tileY)
    {
        var start = int.MaxValue;
        var end = int.MinValue;
        for (var ty = 0; ty < Size; ty++)
        {
            var row = ByteImageFilters.Reflect101(tileY + ty, SceneHeight);
            start = Math.Min(start, row);
            end = Math.Max(end, row + 1);
        }

        return (start, end);
    }

    /// <summary>
    /// Cuts <paramref name="tile"/>. <paramref name="strip"/> holds 14 x <paramref name="stripHeight"/> x scene width raw
    /// values (band-sequential) for scene rows starting at <paramref name="stripY"/>; it must cover
    /// <see cref="SourceRows"/> of the tile. <paramref name="bands"/> receives 14 x 128 x 128 values in model scale;
    /// <paramref name="validMask"/> receives 128 x 128 bytes, 1 where the pixel is inside the scene and has data.
    /// </summary>
    /// <returns>The number of valid pixels.</returns>
    public int Cut(ReadOnlySpan<float> strip, int stripY, int stripHeight, TileWindow tile, Span<float> bands, Span<byte> validMask)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stripHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(strip.Length, (long)Bands * stripHeight * SceneWidth, nameof(strip));
        ArgumentOutOfRangeException.ThrowIfLessThan(bands.Length, ModelContract.BandValuesPerTile, nameof(bands));
        ArgumentOutOfRangeException.ThrowIfLessThan(validMask.Length, Pixels, nameof(validMask));
        if (tile.X < 0 || tile.Y < 0 || tile.X >= SceneWidth || tile.Y >= SceneHeight)
        {
            throw new ArgumentOutOfRangeException(nameof(tile), tile, $"tile origin lies outside the {SceneWidth} x {SceneHeight} scene");
        }

        var (needStart, needEnd) = SourceRows(tile.Y);
        if (needStart < stripY || needEnd > stripY + stripHeight)
        {
            throw new ArgumentException(
                $"strip holds scene rows [{stripY}, {stripY + stripHeight}) but tile at row {tile.Y} needs [{needStart}, {needEnd})",
                nameof(strip));
        }

        var inside = Math.Min(Size, SceneWidth - tile.X);
        for (var tx = 0; tx < Size; tx++)
        {
            _columns[tx] = ByteImageFilters.Reflect101(tile.X + tx, SceneWidth);
        }

        var bad = _bad.AsSpan();
        bad.Clear();
        var plane = stripHeight * SceneWidth;
        for (var b = 0; b < Bands; b++)
        {
            var scale = _scale[b];
            for (var ty = 0; ty < Size; ty++)
            {
                var sourceRow = ByteImageFilters.Reflect101(tile.Y + ty, SceneHeight) - stripY;
                var raw = strip.Slice((b * plane) + (sourceRow * SceneWidth), SceneWidth);
                var destination = bands.Slice((b * Pixels) + (ty * Size), Size);
                var flags = bad.Slice(ty * Size, Size);
                var run = raw.Slice(tile.X, inside);
                TensorPrimitives.Multiply(run, scale, destination[..inside]);
                Flag(run, flags[..inside]);
                for (var tx = inside; tx < Size; tx++)
                {
                    var v = raw[_columns[tx]];
                    destination[tx] = v * scale;
                    flags[tx] |= IsBad(v) ? (byte)1 : (byte)0;
                }
            }
        }

        var valid = 0;
        var insideRows = Math.Min(Size, SceneHeight - tile.Y);
        for (var ty = 0; ty < Size; ty++)
        {
            for (var tx = 0; tx < Size; tx++)
            {
                var ok = ty < insideRows && tx < inside && bad[(ty * Size) + tx] == 0;
                validMask[(ty * Size) + tx] = ok ? (byte)1 : (byte)0;
                valid += ok ? 1 : 0;
            }
        }

        if (bad.Contains((byte)1))
        {
            FillBad(bands, bad);
        }

        return valid;
    }

    private bool IsBad(float v) => !float.IsFinite(v) || (_hasNoData && v == _noData);

    private void Flag(ReadOnlySpan<float> raw, Span<byte> flags)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            flags[i] |= IsBad(raw[i]) ? (byte)1 : (byte)0;
        }
    }

    // Replaces every band value of a bad pixel by the band's mean over the tile's good pixels (padding included:
    // it is real data, mirrored).
    private static void FillBad(Span<float> bands, ReadOnlySpan<byte> bad)
    {
        for (var b = 0; b < Bands; b++)
        {
            var plane = bands.Slice(b * Pixels, Pixels);
            var sum = 0.0;
            var count = 0;
            for (var i = 0; i < Pixels; i++)
            {
                if (bad[i] == 0)
                {
                    sum += plane[i];
                    count++;
                }
            }

            var fill = count > 0 ? (float)(sum / count) : 1f;
            if (!float.IsFinite(fill))
            {
                fill = 1f;
            }

            for (var i = 0; i < Pixels; i++)
            {
                if (bad[i] != 0)
                {
                    plane[i] = fill;
                }
            }
        }
    }
}
