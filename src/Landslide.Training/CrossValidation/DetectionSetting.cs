using System.ComponentModel.DataAnnotations;

namespace Landslide.Training.CrossValidation;

/// <summary>
/// What turns a probability map into detections: pixels at or above <see cref="Threshold"/>, 8-connected into
/// polygons (as the product's polygonizer connects them), polygons smaller than <see cref="MinAreaM2"/> or with a mean
/// probability below <see cref="MinMeanProbability"/> dropped.
/// </summary>
public sealed record DetectionSetting
{
    [Range(0.0, 1.0)]
    public double Threshold { get; init; } = 0.5;

    [Range(0.0, double.MaxValue)]
    public double MinAreaM2 { get; init; }

    [Range(0.0, 1.0)]
    public double MinMeanProbability { get; init; }

    public override string ToString() => FormattableString.Invariant($"threshold {Threshold:F2}, min area {MinAreaM2:F0} m2, min mean probability {MinMeanProbability:F2}");
}
