using Microsoft.Extensions.Hosting;

namespace Landslide.Web;

/// <summary>
/// The caller (`serve`, a test) stops the web server. The console lifetime would swallow SIGTERM/Ctrl+C for itself
/// and leave the caller's command running, so the process would not exit.
/// </summary>
internal sealed class CallerOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
