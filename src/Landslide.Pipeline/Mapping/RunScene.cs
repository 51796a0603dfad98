using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Mapping;

public sealed record RunScene(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("blob_version")] string? BlobVersion,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("epsg")] int? Epsg,
    [property: JsonPropertyName("geotransform")] IReadOnlyList<double> GeoTransform,
    [property: JsonPropertyName("band_profile")] string BandProfile,
    [property: JsonPropertyName("nodata")] double? NoData);
