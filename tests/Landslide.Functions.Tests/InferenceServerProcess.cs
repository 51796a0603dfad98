using System.Globalization;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer;
using Microsoft.AspNetCore.Builder;

namespace Landslide.Functions.Tests;

/// <summary>The real inference server in this process on a fixed 127.0.0.1 port, so it can be stopped and started again.</summary>
internal sealed class InferenceServerProcess(string modelsRoot, int port) : IAsyncDisposable
{
    public const string ApiKey = "functions-test-key-not-a-secret-0123456789";

    private WebApplication? _app;

    public Uri BaseAddress { get; } = new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));

    public async Task StartAsync()
    {
        string[] args =
        [
            "--urls", BaseAddress.AbsoluteUri.TrimEnd('/'),
            "--Logging:LogLevel:Default=Warning",
            $"--InferenceServer:ModelsRoot={modelsRoot}",
            $"--InferenceServer:ApiKeys:0={ApiKey}",
            "--InferenceServer:PreferCuda=false",
        ];
        _app = InferenceServerApp.Build(args);
        await _app.StartAsync();
        using var http = new HttpClient { BaseAddress = BaseAddress };
        for (var i = 0; i < 300; i++)
        {
            using var response = await http.GetAsync(new Uri(InferenceProtocol.ReadyPath.TrimStart('/'), UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the inference server did not become ready");
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
