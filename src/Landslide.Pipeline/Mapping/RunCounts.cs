using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Mapping;

public sealed record RunCounts(
    [property: JsonPropertyName("tiles")] long Tiles,
    [property: JsonPropertyName("valid_pixels")] long ValidPixels,
    [property: JsonPropertyName("landslide_pixels")] long LandslidePixels,
    [property: JsonPropertyName("polygons")] int Polygons,
    [property: JsonPropertyName("landslide_area_m2")] double LandslideAreaM2);
