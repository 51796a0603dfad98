using System.Text.Json.Serialization;

namespace Landslide.Pipeline.Queries;

/// <summary>What GET /api/health answers: overall health and each check's result.</summary>
public sealed record HealthView(
    [property: JsonPropertyName("healthy")] bool Healthy,
    [property: JsonPropertyName("checks")] IReadOnlyDictionary<string, string> Checks);
