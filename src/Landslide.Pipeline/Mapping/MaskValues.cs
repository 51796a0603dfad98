namespace Landslide.Pipeline.Mapping;

/// <summary>Pixel values of mask.tif.</summary>
public static class MaskValues
{
    public const byte Background = 0;
    public const byte Landslide = 1;
    public const byte NoData = 255;
}
