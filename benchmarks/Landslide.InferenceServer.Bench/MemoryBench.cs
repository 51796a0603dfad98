using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Landslide.Core.Segmentation;
using Landslide.TestSupport;

/// <summary>
/// Peak resident memory of the real server process (dotnet Landslide.InferenceServer.dll, started here) while 64
/// callers send maximal requests at once, each body trickled in 1 MiB pieces so that all of them are in flight
/// together, as slow uploads would be. Reads the server's VmHWM from /proc when the run ends.
/// </summary>
internal static class MemoryBench
{
    private const int Callers = 64;
    private const int PieceBytes = 1 << 20;
    private const string ApiKey = "bench-key-not-a-secret-0123456789abcdef";

    /// <summary>args: memory SERVER_DLL LABEL TILES [--InferenceServer:Name=value ...]</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var serverDll = Path.GetFullPath(args[1]);
        var label = args[2];
        var tiles = int.Parse(args[3], CultureInfo.InvariantCulture);
        var extra = args.Skip(4).ToArray();

        using var models = new TempDirectory("memory-bench");
        var (w, b) = TinyOnnxModels.RandomPerPixelWeights(1);
        TinyOnnxModels.WriteVersionFolder(models.Path, "bench", TinyOnnxModels.PerPixel(w, b));
        File.WriteAllText(Path.Combine(models.Path, "current.json"), """{"version":"bench"}""");

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = models.Path };
        foreach (var a in new[]
        {
            serverDll, "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning",
            $"--InferenceServer:ModelsRoot={models.Path}", $"--InferenceServer:ApiKeys:0={ApiKey}",
            $"--InferenceServer:MaxTilesPerRequest={tiles}", "--InferenceServer:QueueCapacity=256", "--InferenceServer:PreferCuda=false",
        }.Concat(extra))
        {
            start.ArgumentList.Add(a);
        }

        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"server: {e.Data}"); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30), MaxConnectionsPerServer = Callers };
            using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Add(InferenceProtocol.ApiKeyHeader, ApiKey);
            await WaitReadyAsync(http);
            var idle = ReadKiB(server.Id, "VmRSS");

            // One body shared by every caller (the client side stays small); values are small and finite.
            var body = new byte[(long)tiles * ModelContract.FeatureValuesPerTile * sizeof(float)];
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(body.AsSpan());
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (i % 97) / 97f;
            }

            var outcomes = new int[600];
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, InferenceProtocol.SegmentPath.TrimStart('/')) { Content = new TrickleContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(InferenceProtocol.TensorContentType);
                request.Content.Headers.ContentLength = body.Length;
                request.Headers.ExpectContinue = true;
                request.Headers.Add(InferenceProtocol.ShapeHeader, $"{tiles},23,128,128");
                request.Headers.Add(InferenceProtocol.TypeHeader, InferenceProtocol.Float32);
                int status;
                try
                {
                    using var response = await http.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 599;
                }

                Interlocked.Increment(ref outcomes[status]);
            }));
            watch.Stop();

            var peak = ReadKiB(server.Id, "VmHWM");
            var answered = string.Join(", ", Enumerable.Range(0, outcomes.Length).Where(s => outcomes[s] > 0).Select(s => $"{outcomes[s]} x {(s == 599 ? "connection failed" : s.ToString(CultureInfo.InvariantCulture))}"));
            Console.WriteLine($"| {label} | {tiles} tiles = {body.Length / 1048576.0:F0} MiB | {Callers} | {idle / 1024.0:F0} | {peak / 1024.0:F0} | {answered} | {watch.Elapsed.TotalSeconds:F1} |");
            return 0;
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
    }

    private static async Task WaitReadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the server did not become ready");
            }

            await Task.Delay(100);
        }
    }

    private static long ReadKiB(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sends the body in 1 MiB pieces with a pause between them: every caller is mid-upload at the same time.</summary>
    private sealed class TrickleContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += PieceBytes)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(PieceBytes, body.Length - offset)));
                await Task.Delay(40);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
