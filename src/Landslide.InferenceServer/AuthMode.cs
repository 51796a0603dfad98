namespace Landslide.InferenceServer;

/// <summary>How callers prove who they are.</summary>
public enum AuthMode
{
    /// <summary>A shared key in the X-Api-Key header, compared in constant time.</summary>
    ApiKey,

    /// <summary>An Entra ID (Azure AD) JWT bearer token for the configured audience.</summary>
    EntraId,
}
