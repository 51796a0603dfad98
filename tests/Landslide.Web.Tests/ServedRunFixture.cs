using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Landslide.TestSupport;

namespace Landslide.Web.Tests;

/// <summary>
/// Azurite, a real `landslide serve --port P` against it, and a scene of real Landslide4Sense patches dropped with
/// `landslide serve drop` and mapped to completion; the web map's browser check runs once and the tests read its answer.
/// </summary>
public sealed class ServedRunFixture : IAsyncLifetime
{
    public const string Scene = "scene";

    public const string RejectedScene = "broken";

    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _folder = new("webmap");
    private readonly StringBuilder _serveLog = new();
    private Process? _serve;
    private Lazy<Task<JsonElement>>? _browser;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public string ConnectionString => _azurite.ConnectionString;

    public string ServeLog
    {
        get
        {
            lock (_serveLog)
            {
                return _serveLog.ToString();
            }
        }
    }

    /// <summary>What web/tests/webmap.mjs saw in Chromium (run once, shared by the tests).</summary>
    public Task<JsonElement> BrowserAsync() => _browser!.Value;

    public async Task InitializeAsync()
    {
        if (SharedData.Folder is null)
        {
            return;
        }

        await _azurite.InitializeAsync();
        var scene = RealPatches.WriteMosaic(_folder.Path, [1, 3, 16, 27, 28, 38], columns: 3);
        var port = AzuriteFixture.FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _serve = Process.Start(LandslideProcess.StartInfo("serve", "--storage", ConnectionString, "--port", $"{port}"))
            ?? throw new InvalidOperationException("cannot start landslide serve");
        _serve.OutputDataReceived += (_, e) => Append(e.Data);
        _serve.ErrorDataReceived += (_, e) => Append(e.Data);
        _serve.BeginOutputReadLine();
        _serve.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseUrl };
        await WaitAsync(async () => (await http.GetAsync("api/runs")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the web map to answer");
        var drop = await LandslideProcess.RunAsync("serve", "drop", scene, "--storage", ConnectionString);
        Assert.True(drop.ExitCode == 0, drop.Stderr);

        // A scene the pipeline rejects: the list must show it with its error.
        var broken = Path.Combine(_folder.Path, $"{RejectedScene}.tif");
        await File.WriteAllTextAsync(broken, "not a GeoTIFF");
        drop = await LandslideProcess.RunAsync("serve", "drop", broken, "--storage", ConnectionString);
        Assert.True(drop.ExitCode == 0, drop.Stderr);
        await WaitAsync(
            async () =>
            {
                var runs = await http.GetFromJsonAsync<JsonElement>("api/runs");
                return runs.EnumerateArray().Any(r => r.GetProperty("scene").GetString() == Scene && r.GetProperty("status").GetString() == "completed")
                    && runs.EnumerateArray().Any(r => r.GetProperty("scene").GetString() == RejectedScene && r.GetProperty("status").GetString() == "rejected");
            },
            TimeSpan.FromMinutes(3),
            "the dropped scene to be mapped");
        _browser = new Lazy<Task<JsonElement>>(() => NodeScript.RunAsync(
            "web/tests/webmap.mjs", "--base", BaseUrl.AbsoluteUri, "--scene", Scene, "--screenshot", Repository.Screenshot("run-page.png")));
    }

    public async Task DisposeAsync()
    {
        if (_serve is { HasExited: false })
        {
            _serve.Kill(entireProcessTree: true);
            await _serve.WaitForExitAsync();
        }

        _serve?.Dispose();
        await _azurite.DisposeAsync();
        _folder.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_serveLog)
        {
            _serveLog.AppendLine(line);
        }
    }

    private async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_serve!.HasExited)
            {
                throw new InvalidOperationException($"landslide serve exited {_serve.ExitCode} while waiting for {what}:\n{ServeLog}");
            }

            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"waited {timeout} for {what}:\n{ServeLog}");
    }
}
