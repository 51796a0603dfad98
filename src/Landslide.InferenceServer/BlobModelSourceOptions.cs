namespace Landslide.InferenceServer;

/// <summary>The blob model registry (section InferenceServer:Blob): container/current.json and container/{version}/.</summary>
public sealed class BlobModelSourceOptions
{
    /// <summary>Storage connection string (Azurite, local runs). Either this or <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob endpoint, e.g. https://{account}.blob.core.windows.net, read with DefaultAzureCredential (Azure).</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity to use with <see cref="ServiceUri"/>; empty = default.</summary>
    public string? ClientId { get; set; }

    /// <summary>Container of the registry. Default "models".</summary>
    public string Container { get; set; } = "models";
}
