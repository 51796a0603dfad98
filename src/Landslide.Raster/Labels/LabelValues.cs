namespace Landslide.Raster.Labels;

/// <summary>Pixel values of a label raster (uint8): landslide, background, unlabelled (also its nodata).</summary>
public static class LabelValues
{
    public const byte Background = 0;
    public const byte Landslide = 1;
    public const byte Unlabelled = 255;

    /// <summary>The role (field <c>role</c>) or layer name that marks the labelled-area polygon.</summary>
    public const string LabelledArea = "labelled-area";
}
