using Landslide.Core.Segmentation;

namespace Landslide.Training.Data;

/// <summary>
/// One training or evaluation sample: 23 x 128 x 128 features (CHW) and a 128 x 128 mask
/// (0 background, 1 landslide, <see cref="IgnoreLabel"/> = not valid, excluded from loss and metrics).
/// </summary>
public sealed record LabelledTile(string Id, float[] Features, byte[] Mask)
{
    public const byte IgnoreLabel = 255;

    /// <summary>True when at least one pixel is labelled landslide (a cutmix donor).</summary>
    public bool HasLandslide => Mask.AsSpan().Contains((byte)1);

    internal static void Validate(string id, float[] features, byte[] mask)
    {
        if (features.Length != ModelContract.FeatureValuesPerTile || mask.Length != ModelContract.PixelsPerTile)
        {
            throw new TrainingDataException(
                TrainingDataError.WrongShape,
                $"tile {id}: expected {ModelContract.FeatureValuesPerTile} feature values and {ModelContract.PixelsPerTile} mask values, found {features.Length} and {mask.Length}");
        }
    }
}
