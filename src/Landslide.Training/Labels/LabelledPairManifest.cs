using System.Text.Json.Serialization;

namespace Landslide.Training.Labels;

/// <summary>
/// training/{name}/manifest.json: the pair's files, band profile, where its labels came from and how many pixels of
/// each kind they hold, and the content hashes the data fingerprint is built from. Written last: a folder without
/// it is an incomplete upload and is ignored.
/// </summary>
public sealed record LabelledPairManifest
{
    public const string FileName = "manifest.json";
    public const string SceneFile = "scene.tif";
    public const string LabelsFile = "labels.tif";

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("band_profile")]
    public required string BandProfile { get; init; }

    [JsonPropertyName("width")]
    public int Width { get; init; }

    [JsonPropertyName("height")]
    public int Height { get; init; }

    [JsonPropertyName("epsg")]
    public int? Epsg { get; init; }

    /// <summary>"raster" or "polygons".</summary>
    [JsonPropertyName("label_source")]
    public required string LabelSource { get; init; }

    /// <summary>File name of the labels as given (polygons or raster), and its SHA-256.</summary>
    [JsonPropertyName("label_file")]
    public required string LabelFile { get; init; }

    [JsonPropertyName("label_file_sha256")]
    public required string LabelFileSha256 { get; init; }

    [JsonPropertyName("scene_sha256")]
    public required string SceneSha256 { get; init; }

    [JsonPropertyName("labels_sha256")]
    public required string LabelsSha256 { get; init; }

    [JsonPropertyName("landslide_pixels")]
    public long LandslidePixels { get; init; }

    [JsonPropertyName("background_pixels")]
    public long BackgroundPixels { get; init; }

    [JsonPropertyName("unlabelled_pixels")]
    public long UnlabelledPixels { get; init; }

    [JsonPropertyName("landslide_polygons")]
    public int? LandslidePolygons { get; init; }

    [JsonPropertyName("labelled_area_polygons")]
    public int? LabelledAreaPolygons { get; init; }

    [JsonPropertyName("added_at")]
    public DateTimeOffset AddedAt { get; init; }

    /// <summary>The pair's content hash: scene and rasterized labels together (what the data fingerprint lists).</summary>
    [JsonIgnore]
    public string ContentHash => Core.Segmentation.TrainingDataFingerprint.PairHash(SceneSha256, LabelsSha256);
}
