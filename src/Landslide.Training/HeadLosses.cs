namespace Landslide.Training;

/// <summary>
/// Mean unweighted loss of each output head over an epoch's steps (focal + soft IoU at 256, 128 and 64 px); the
/// epoch's total is <see cref="SegmentationLoss.Weight256"/> x Head256 + <see cref="SegmentationLoss.Weight128"/> x
/// Head128 + <see cref="SegmentationLoss.Weight64"/> x Head64.
/// </summary>
public sealed record HeadLosses(double Head256, double Head128, double Head64)
{
    /// <summary>The weighted sum docs/MODEL.md trains on.</summary>
    public double Weighted => (SegmentationLoss.Weight256 * Head256) + (SegmentationLoss.Weight128 * Head128) + (SegmentationLoss.Weight64 * Head64);
}
