using System.Diagnostics;
using System.Net.Sockets;

namespace Landslide.Pipeline.Hosting;

/// <summary>
/// An Azurite this host started (blob 10000, queue 10001, table 10002 on 127.0.0.1). It keeps running after the host
/// stops, like any local emulator, so `serve drop`/`serve status` and the next `serve` find the same data; disposing
/// it (only done when the host fails to start) kills it.
/// </summary>
internal sealed class AzuriteProcess : IDisposable
{
    private readonly Process _process;
    private int _disposed;

    private AzuriteProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Starts Azurite unless something already listens on its blob port; null when one is running.</summary>
    /// <param name="location">Data folder.</param>
    /// <param name="debug">Also write Azurite's debug log (location/debug.log); it grows fast, so only when asked.</param>
    /// <param name="cancellationToken">Stops waiting for the ports.</param>
    public static async Task<AzuriteProcess?> StartIfNeededAsync(string location, bool debug, CancellationToken cancellationToken)
    {
        if (await ListensAsync(10000, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        Directory.CreateDirectory(location);
        var start = new ProcessStartInfo(Executable()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Arguments(location, debug))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("azurite did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"cannot start Azurite ({e.Message}): run from the checkout after `npm ci` (node_modules/.bin/azurite) or `npm install -g azurite`", e);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { 10000, 10001, 10002 })
        {
            while (!await ListensAsync(port, cancellationToken).ConfigureAwait(false))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    azurite.Dispose();
                    throw new InvalidOperationException(
                        $"Azurite did not listen on 127.0.0.1:{port} (install it with `npm ci` in the checkout or `npm install -g azurite`)");
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        return azurite;
    }

    /// <summary>Azurite's command line: data in <paramref name="location"/>; the debug log only when asked.</summary>
    internal static IReadOnlyList<string> Arguments(string location, bool debug) => debug
        ? ["--silent", "--skipApiVersionCheck", "--loose", "--location", location, "--debug", Path.Combine(location, "debug.log")]
        : ["--silent", "--skipApiVersionCheck", "--loose", "--location", location];

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private static async Task<bool> ListensAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>node_modules/.bin/azurite of the nearest checkout above the working folder, else azurite on PATH.</summary>
    private static string Executable()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var local = Path.Combine(dir.FullName, "node_modules", ".bin", "azurite");
            if (File.Exists(local))
            {
                return local;
            }
        }

        return "azurite";
    }
}
