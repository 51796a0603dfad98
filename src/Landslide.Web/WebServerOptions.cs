using System.ComponentModel.DataAnnotations;

namespace Landslide.Web;

/// <summary>Where the web map listens: always 127.0.0.1 (a field laptop shares nothing by default).</summary>
public sealed class WebServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one. Default 5080.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 5080;
}
