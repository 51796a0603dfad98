using Landslide.Core.Scenes;

namespace Landslide.Core.Samples;

/// <summary>
/// A synthetic 14-band scene in Landslide4Sense scale: vegetated terrain with bare-soil landslide scars planted on it,
/// and the truth mask. Band statistics (mean and spread of landslide and background pixels per band) were measured on
/// the 15 Landslide4Sense training patches; no pixel of the real data is copied. Every pixel is a pure function of
/// (seed, x, y), so any row block can be generated on its own: scenes of any size stream without holding memory.
/// </summary>
public sealed class SyntheticScene
{
    /// <summary>UTM zone 45N (Nepal, where the Gorkha part of Landslide4Sense lies).</summary>
    public const int Epsg = 32645;

    public const int BandCount = 14;

    // Per-band mean and standard deviation of landslide and background pixels (15 training patches, l4s scale).
    private static readonly float[] LandslideMean = [1.028f, 1.242f, 1.469f, 2.152f, 1.702f, 0.971f, 0.858f, 0.859f, 1.235f, 1.842f, 1.575f, 2.438f, 1.859f, 2.826f];
    private static readonly float[] LandslideStd = [0.111f, 0.215f, 0.309f, 0.595f, 0.367f, 0.222f, 0.214f, 0.238f, 0.36f, 1.854f, 0.451f, 0.776f, 0.498f, 0.743f];
    private static readonly float[] BackgroundMean = [0.89f, 0.895f, 0.966f, 0.981f, 1.101f, 1.066f, 1.031f, 1.047f, 1.37f, 2.027f, 1.068f, 1.09f, 1.546f, 2.668f];
    private static readonly float[] BackgroundStd = [0.145f, 0.19f, 0.259f, 0.409f, 0.373f, 0.352f, 0.364f, 0.39f, 0.437f, 1.927f, 0.506f, 0.633f, 0.541f, 1.11f];

    // How each band responds to vegetation (+1 brighter where vegetated, -1 darker): NIR and red-edge rise, visible and SWIR fall.
    private static readonly float[] VegetationResponse = [-0.4f, -0.6f, -0.6f, -0.9f, -0.2f, 0.8f, 0.9f, 0.9f, 0.5f, 0f, -0.7f, -0.9f, 0f, 0f];

    private const int CellSize = 256;

    private readonly int _seed;

    public SyntheticScene(int width, int height, int seed = 7, double landslidesPerCell = 0.8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(landslidesPerCell);
        Width = width;
        Height = height;
        _seed = seed;
        LandslidesPerCell = landslidesPerCell;
    }

    public int Width { get; }

    public int Height { get; }

    public double LandslidesPerCell { get; }

    /// <summary>10 m pixels, north-up, in the Gorkha area of UTM 45N.</summary>
    public GeoTransform GeoTransform { get; } = new(300_000, 10, 0, 3_120_000, 0, -10);

    /// <summary>
    /// Fills rows [<paramref name="startRow"/>, startRow + rowCount) of all 14 bands, band-sequential
    /// (band, row, column), and the truth mask (1 = landslide) for the same rows.
    /// </summary>
    public void FillRows(int startRow, int rowCount, Span<float> bands, Span<byte> truth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(startRow + rowCount, Height);
        var plane = rowCount * Width;
        ArgumentOutOfRangeException.ThrowIfLessThan(bands.Length, plane * BandCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(truth.Length, plane);

        for (var r = 0; r < rowCount; r++)
        {
            var y = startRow + r;
            for (var x = 0; x < Width; x++)
            {
                var i = (r * Width) + x;
                var scar = ScarCover(x, y);
                var vegetation = Math.Clamp((0.65f * Fbm(x / 180f, y / 180f, 11)) + 0.35f, 0f, 1f);
                var terrain = Fbm(x / 300f, y / 300f, 23);
                var slopeNoise = Fbm(x / 60f, y / 60f, 31);
                truth[i] = scar >= 0.5f ? (byte)1 : (byte)0;
                for (var b = 0; b < BandCount; b++)
                {
                    var grain = (Hash01(x, y, b + 100) - 0.5f) * 0.5f;
                    float background;
                    if (b == 13)
                    {
                        background = BackgroundMean[b] + ((terrain - 0.5f) * 2.5f * BackgroundStd[b]);
                    }
                    else if (b == 12)
                    {
                        background = BackgroundMean[b] + ((slopeNoise - 0.5f) * 2f * BackgroundStd[b]);
                    }
                    else
                    {
                        background = BackgroundMean[b] + (((vegetation - 0.5f) * 2f * VegetationResponse[b]) + grain) * BackgroundStd[b];
                    }

                    var landslide = LandslideMean[b] + (grain * LandslideStd[b]);
                    var value = (scar * landslide) + ((1 - scar) * background);
                    bands[(b * plane) + i] = MathF.Max(value, 0.01f);
                }
            }
        }
    }

    /// <summary>Cover of landslide scars at a pixel in [0, 1]: soft edges, 1 inside.</summary>
    private float ScarCover(int x, int y)
    {
        var cx = x / CellSize;
        var cy = y / CellSize;
        var cover = 0f;
        for (var k = 0; k < 2; k++)
        {
            // At most two scars per cell, each placed so it stays inside its cell: no neighbour lookups.
            if (Hash01(cx, cy, 1000 + k) >= LandslidesPerCell / 2)
            {
                continue;
            }

            var length = 14 + (Hash01(cx, cy, 1010 + k) * 34);
            var breadth = 5 + (Hash01(cx, cy, 1020 + k) * 12);
            var angle = Hash01(cx, cy, 1030 + k) * MathF.PI;
            var margin = length + 4;
            var centreX = (cx * CellSize) + margin + (Hash01(cx, cy, 1040 + k) * (CellSize - (2 * margin)));
            var centreY = (cy * CellSize) + margin + (Hash01(cx, cy, 1050 + k) * (CellSize - (2 * margin)));
            var dx = x - centreX;
            var dy = y - centreY;
            var (sin, cos) = MathF.SinCos(angle);
            var u = ((dx * cos) + (dy * sin)) / length;
            var v = ((-dx * sin) + (dy * cos)) / breadth;

            // Teardrop: wider at the scarp (u < 0), narrowing towards the runout (u > 0); ragged by noise.
            v /= 1.15f - (0.35f * Math.Clamp(u, -1f, 1f));
            var d = MathF.Sqrt((u * u) + (v * v)) + ((Fbm(x / 9f, y / 9f, 77) - 0.5f) * 0.35f);
            cover = MathF.Max(cover, Math.Clamp((1.1f - d) / 0.2f, 0f, 1f));
        }

        return cover;
    }

    /// <summary>Two-octave value noise in [0, 1].</summary>
    private float Fbm(float x, float y, int salt) =>
        (0.65f * ValueNoise(x, y, salt)) + (0.35f * ValueNoise(x * 2.3f, y * 2.3f, salt + 1));

    private float ValueNoise(float x, float y, int salt)
    {
        var x0 = (int)MathF.Floor(x);
        var y0 = (int)MathF.Floor(y);
        var tx = Smooth(x - x0);
        var ty = Smooth(y - y0);
        var a = Hash01(x0, y0, salt);
        var b = Hash01(x0 + 1, y0, salt);
        var c = Hash01(x0, y0 + 1, salt);
        var d = Hash01(x0 + 1, y0 + 1, salt);
        return Lerp(Lerp(a, b, tx), Lerp(c, d, tx), ty);
    }

    private static float Smooth(float t) => t * t * (3 - (2 * t));

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);

    private float Hash01(int x, int y, int salt)
    {
        unchecked
        {
            var h = (uint)_seed * 0x9E3779B1u;
            h ^= (uint)x * 0x85EBCA77u;
            h = (h << 13) | (h >> 19);
            h ^= (uint)y * 0xC2B2AE3Du;
            h ^= (uint)salt * 0x27D4EB2Fu;
            h ^= h >> 15;
            h *= 0x2C1B3C6Du;
            h ^= h >> 12;
            h *= 0x297A2D39u;
            h ^= h >> 15;
            return (h >> 8) * (1f / (1 << 24));
        }
    }
}
