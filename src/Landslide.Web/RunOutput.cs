namespace Landslide.Web;

/// <summary>An opened run output (or the run's scene): a seekable stream, so Range requests read only what they ask for.</summary>
public sealed record RunOutput(Stream Content, string ContentType, DateTimeOffset LastModified, string ETag) : IDisposable
{
    public void Dispose() => Content.Dispose();
}
