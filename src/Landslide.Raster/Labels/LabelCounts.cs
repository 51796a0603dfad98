namespace Landslide.Raster.Labels;

/// <summary>
/// What a label raster holds: pixels per value, plus (for polygon labels) how many landslide and labelled-area
/// features the file had. <see cref="Other"/> counts values that are none of 0, 1 and 255.
/// </summary>
public sealed record LabelCounts(long Landslide, long Background, long Unlabelled, long Other, int LandslideFeatures = 0, int AreaFeatures = 0)
{
    public long Labelled => Landslide + Background;
}
