namespace Landslide.Training.CrossValidation;

/// <summary>
/// One labelled tile's landslide probability (128 x 128) and mask (0 background, 1 landslide, 255 not valid).
/// From a cross-validation, <see cref="Fold"/> (1..K) names the fold model that predicted it without having seen it
/// (an out-of-fold prediction); 0 for predictions from elsewhere (e.g. a holdout evaluation).
/// </summary>
public sealed record TilePrediction(string Id, float[] Probability, byte[] Mask, int Fold = 0);
