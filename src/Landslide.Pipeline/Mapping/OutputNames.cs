namespace Landslide.Pipeline.Mapping;

/// <summary>File names of a run's outputs, the same on disk and under results/{scene}/ in storage.</summary>
public static class OutputNames
{
    public const string Mask = "mask.tif";
    public const string Probability = "probability.tif";
    public const string Polygons = "landslides.geojson";
    public const string Quicklook = "quicklook.png";
    public const string Run = RunRecord.FileName;
    public const string StacItem = "item.json";
    public const string Error = "error.json";
    public const string Report = "report.html";
    public const string TrueColour = "truecolour.png";
}
