using Microsoft.Extensions.Hosting;

namespace Landslide.Pipeline.Hosting;

/// <summary>
/// The caller (the CLI command, a test) stops the host. The console lifetime would also react to Ctrl+C/SIGTERM, and
/// two concurrent stops make the WebJobs listeners throw "The timer has already been stopped" and skip disposal.
/// </summary>
internal sealed class CallerOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
