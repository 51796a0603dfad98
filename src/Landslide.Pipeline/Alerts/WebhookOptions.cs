namespace Landslide.Pipeline.Alerts;

/// <summary>One webhook slot (Alerts__Webhooks__N__Url / __Secret). An empty Url means "no webhook in this slot".</summary>
public sealed class WebhookOptions
{
    /// <summary>Absolute http(s) URL the alert is POSTed to; empty disables the slot.</summary>
    public string? Url { get; set; }

    /// <summary>HMAC-SHA256 key of X-Landslide-Signature; required when Url is set.</summary>
    public string? Secret { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Url);
}
