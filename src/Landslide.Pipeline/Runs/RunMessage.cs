using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Runs;

/// <summary>Queues "finalize" and "alerts": the run to finalize, or whose alert to deliver.</summary>
public sealed record RunMessage([property: JsonPropertyName("run_id")] string RunId);
