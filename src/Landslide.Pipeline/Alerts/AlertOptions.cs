using System.ComponentModel.DataAnnotations;

namespace Landslide.Pipeline.Alerts;

/// <summary>Alert settings (section "Alerts"; app settings Alerts__*). Validated at host start.</summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string SectionName = "Alerts";

    /// <summary>Webhook slots; empty-URL slots are skipped.</summary>
    public IList<WebhookOptions> Webhooks { get; } = [];

    /// <summary>An alert needs a polygon with max probability at least this. Default 0.5.</summary>
    [Range(0.0, 1.0)]
    public double MinProbability { get; set; } = 0.5;

    /// <summary>An alert needs a polygon at least this large (m²), on top of Pipeline:MinAreaM2. Default 0.</summary>
    [Range(0.0, double.MaxValue)]
    public double MinAreaM2 { get; set; }

    /// <summary>Retries after the first POST of one webhook (exponential backoff with jitter). Default 5.</summary>
    [Range(1, 20)]
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>First backoff delay. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one POST. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Polygons (GeoJSON) are inlined in the alert up to this many bytes, else only linked. Default 256 KiB.</summary>
    [Range(0, 48 * 1024 * 1024)]
    public int MaxInlinePolygonBytes { get; set; } = 256 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var hook = Webhooks[i];
            if (!hook.IsEnabled)
            {
                continue;
            }

            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult($"Alerts:Webhooks:{i}:Url '{hook.Url}' is not an absolute http(s) URL", [nameof(Webhooks)]);
            }

            if (string.IsNullOrEmpty(hook.Secret))
            {
                yield return new ValidationResult($"Alerts:Webhooks:{i}:Secret is required when its Url is set (it keys the HMAC signature)", [nameof(Webhooks)]);
            }
        }
    }
}
