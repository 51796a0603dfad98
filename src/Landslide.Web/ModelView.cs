using System.Text.Json.Serialization;

namespace Landslide.Web;

/// <summary>
/// One model on the run list page: where it comes from, whether it is the promoted one, its metrics, and its training
/// plots (URLs relative to the page, <c>models/{version}/plots/{name}</c>).
/// </summary>
public sealed record ModelView(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("promoted")] bool Promoted,
    [property: JsonPropertyName("threshold")] double? Threshold,
    [property: JsonPropertyName("metrics")] IReadOnlyDictionary<string, double> Metrics,
    [property: JsonPropertyName("plots")] IReadOnlyList<string> Plots);
