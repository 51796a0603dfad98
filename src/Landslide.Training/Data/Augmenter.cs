using Landslide.Core.Segmentation;

namespace Landslide.Training.Data;

/// <summary>
/// The augmentation of docs/MODEL.md, seeded: with p = 0.7 rotate by k x 90 degrees (k in 1..3); then cutmix 0-2 times,
/// pasting the landslide pixels (all channels) of a random landslide-bearing training tile; the mask becomes the union.
/// </summary>
public sealed class Augmenter
{
    public const double RotationProbability = 0.7;
    public const int MaxCutmix = 2;

    private readonly Random _random;
    private readonly IReadOnlyList<LabelledTile> _donors;

    public Augmenter(IEnumerable<LabelledTile> trainingTiles, int seed)
    {
        ArgumentNullException.ThrowIfNull(trainingTiles);
        _random = new Random(seed);
        _donors = [.. trainingTiles.Where(t => t.HasLandslide)];
    }

    /// <summary>Writes an augmented copy of <paramref name="tile"/> into the two buffers.</summary>
    public void Apply(LabelledTile tile, Span<float> features, Span<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(tile);
        const int Pixels = ModelContract.PixelsPerTile;
        if (_random.NextDouble() < RotationProbability)
        {
            var k = _random.Next(1, 4);
            for (var channel = 0; channel < ModelContract.FeatureChannels; channel++)
            {
                Rotate90(tile.Features.AsSpan(channel * Pixels, Pixels), features.Slice(channel * Pixels, Pixels), k);
            }

            Rotate90<byte>(tile.Mask, mask, k);
        }
        else
        {
            tile.Features.CopyTo(features);
            tile.Mask.CopyTo(mask);
        }

        var pastes = _donors.Count == 0 ? 0 : _random.Next(0, MaxCutmix + 1);
        for (var paste = 0; paste < pastes; paste++)
        {
            var donor = _donors[_random.Next(_donors.Count)];
            for (var pixel = 0; pixel < Pixels; pixel++)
            {
                if (donor.Mask[pixel] != 1)
                {
                    continue;
                }

                mask[pixel] = 1;
                for (var channel = 0; channel < ModelContract.FeatureChannels; channel++)
                {
                    features[(channel * Pixels) + pixel] = donor.Features[(channel * Pixels) + pixel];
                }
            }
        }
    }

    /// <summary>numpy's rot90 (counter-clockwise) applied k times to a square 128 x 128 plane.</summary>
    internal static void Rotate90<T>(ReadOnlySpan<T> source, Span<T> destination, int k)
    {
        const int N = ModelContract.TileSize;
        for (var row = 0; row < N; row++)
        {
            for (var col = 0; col < N; col++)
            {
                var (r, c) = (k & 3) switch
                {
                    1 => (col, N - 1 - row),
                    2 => (N - 1 - row, N - 1 - col),
                    3 => (N - 1 - col, row),
                    _ => (row, col),
                };
                destination[(row * N) + col] = source[(r * N) + c];
            }
        }
    }
}
