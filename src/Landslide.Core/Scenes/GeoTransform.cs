namespace Landslide.Core.Scenes;

/// <summary>GDAL's affine geotransform: x = OriginX + col * PixelWidth + row * RowRotation, y likewise.</summary>
public readonly record struct GeoTransform(
    double OriginX,
    double PixelWidth,
    double RowRotation,
    double OriginY,
    double ColumnRotation,
    double PixelHeight)
{
    public static GeoTransform FromArray(ReadOnlySpan<double> gt) => new(gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]);

    public double[] ToArray() => [OriginX, PixelWidth, RowRotation, OriginY, ColumnRotation, PixelHeight];

    /// <summary>Area of one pixel in CRS units squared (m² in a metric projected CRS).</summary>
    public double PixelArea => Math.Abs((PixelWidth * PixelHeight) - (RowRotation * ColumnRotation));

    /// <summary>The geotransform of a window that starts at (column, row) of this grid.</summary>
    public GeoTransform Offset(int column, int row) => this with
    {
        OriginX = OriginX + (column * PixelWidth) + (row * RowRotation),
        OriginY = OriginY + (column * ColumnRotation) + (row * PixelHeight),
    };
}
