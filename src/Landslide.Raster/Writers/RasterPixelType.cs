namespace Landslide.Raster.Writers;

/// <summary>Pixel types the single-band output writers produce (values equal GDALDataType).</summary>
public enum RasterPixelType
{
    /// <summary>uint8: masks (0/1, 255 nodata) and quantised probabilities (0-255).</summary>
    Byte = 1,

    /// <summary>float32: probabilities in [0, 1].</summary>
    Float32 = 6,
}
