using System.Collections.Concurrent;
using System.Diagnostics;

namespace Landslide.Cli.Tests;

/// <summary>`landslide serve` running in the background as a real process; stopped with Ctrl+C (SIGINT) like a user would.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join("\n", _output);

    /// <summary>Starts serve and waits for its "Serving:" line; throws with its output when it exits instead.</summary>
    public static async Task<ServeProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var process = Process.Start(CliProcess.StartInfo(workingDirectory, environment, arguments)) ?? throw new InvalidOperationException("cannot start serve");
        var serve = new ServeProcess(process);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!serve._output.Any(l => l.StartsWith("Serving:", StringComparison.Ordinal)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = serve.Output;
                await serve.DisposeAsync();
                throw new InvalidOperationException($"serve did not start (exited: {process.HasExited}):\n{output}");
            }

            await Task.Delay(200);
        }

        return serve;
    }

    /// <summary>Ctrl+C, then the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
