using System.Collections.Concurrent;
using System.Diagnostics;

namespace Landslide.Cli.Tests;

/// <summary>
/// A long-running `landslide` process (`serve`) or `landslide-train` process (`train --storage`) in the background, its output collected; stopped with
/// Ctrl+C (SIGINT) like a user would, or killed with its children on dispose.
/// </summary>
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

    /// <summary>Starts `landslide` with these arguments without waiting for anything.</summary>
    public static ServeProcess Start(params string[] arguments)
        => new(Process.Start(CliProcess.StartInfo(null, null, arguments)) ?? throw new InvalidOperationException("cannot start landslide"));

    /// <summary>Starts `landslide-train` with these arguments without waiting for anything.</summary>
    public static ServeProcess StartTrain(params string[] arguments)
        => new(Process.Start(CliProcess.StartInfo(null, null, arguments, CliProcess.TrainDll)) ?? throw new InvalidOperationException("cannot start landslide-train"));

    /// <summary>Waits until a line contains <paramref name="text"/>; throws with the output when the process exits first or time runs out.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{text}' did not appear (exited: {_process.HasExited}):\n{Output}");
            }

            await Task.Delay(100);
        }
    }

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
