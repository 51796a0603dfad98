namespace Landslide.Core.Scenes;

/// <summary>What the header of a scene says: size, bands, grid and CRS. Reading it touches no pixels.</summary>
public sealed record SceneInfo(
    int Width,
    int Height,
    IReadOnlyList<BandDataType> BandTypes,
    GeoTransform GeoTransform,
    string CrsWkt,
    int? Epsg,
    bool IsProjected,
    double? NoData)
{
    public int BandCount => BandTypes.Count;

    public bool HasCrs => !string.IsNullOrWhiteSpace(CrsWkt);
}
