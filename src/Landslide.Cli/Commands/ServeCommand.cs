using System.CommandLine;
using System.Text.Json;
using Landslide.Pipeline.Hosting;
using Landslide.Pipeline.Stages;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Landslide.Cli.Commands;

/// <summary>
/// <c>landslide serve [--storage CONN] [--start-azurite] [--inference-url URL] [--webhook URL --webhook-secret S]</c>:
/// the pipeline's stage handlers hosted locally (WebJobs SDK) until Ctrl+C. Drop a scene in scenes/ to map it.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var storage = new Option<string>("--storage")
        {
            Description = "Storage connection string (default: the local Azurite emulator).",
            DefaultValueFactory = _ => "UseDevelopmentStorage=true",
        };
        var startAzurite = new Option<bool>("--start-azurite") { Description = "Start Azurite (npm) when none is running." };
        var inferenceUrl = new Option<Uri?>("--inference-url") { Description = "Segment through this inference service instead of the embedded model." };
        var inferenceKey = new Option<string?>("--inference-key") { Description = "X-Api-Key for --inference-url." };
        var model = new Option<FileInfo?>("--model") { Description = "model.onnx beside its manifest.json (default: the embedded model)." };
        // A string, validated by the Alerts options at start: System.CommandLine 2.0.0 cannot parse Option<Uri>.
        var webhook = new Option<string?>("--webhook") { Description = "POST alerts (and model.promoted / model.rejected events) to this URL." };
        var secret = new Option<string?>("--webhook-secret") { Description = "HMAC-SHA256 key of the alert signature (required with --webhook)." };
        var chunkSize = new Option<int>("--chunk-size") { Description = "Chunk height in pixels.", DefaultValueFactory = _ => 2048 };
        var retrainEvery = new Option<TimeSpan?>("--retrain-every") { Description = "Check training/ for new labelled data this often (e.g. 01:00:00)." };
        var trainCommand = new Option<string?>("--train-command") { Description = "Program the retrain check starts (e.g. landslide-train)." };
        var trainArguments = new Option<string?>("--train-args") { Description = "Arguments of --train-command." };
        var port = new Option<int?>("--port") { Description = "Port of the web map on 127.0.0.1 (default 5080, or a free one when 5080 is taken; 0: any free port)." };
        var command = new Command("serve", "Host the event-driven pipeline locally against Azure Storage or Azurite; drop scenes into scenes/.")
        {
            storage, startAzurite, inferenceUrl, inferenceKey, model, webhook, secret, chunkSize, retrainEvery, trainCommand, trainArguments, port,
            CreateDrop(), CreateStatus(), ServeRetrainCommand.Create(),
        };

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var configuration = new Dictionary<string, string?>
                {
                    ["Pipeline:ChunkSize"] = parse.GetValue(chunkSize).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Alerts:Webhooks:0:Url"] = parse.GetValue(webhook) ?? string.Empty,
                    ["Alerts:Webhooks:0:Secret"] = parse.GetValue(secret) ?? string.Empty,
                    ["Training:Command"] = parse.GetValue(trainCommand),
                    ["Training:Arguments"] = parse.GetValue(trainArguments),
                };
                var settings = new ServeSettings
                {
                    Storage = parse.GetRequiredValue(storage),
                    StartAzurite = parse.GetValue(startAzurite),
                    InferenceUrl = parse.GetValue(inferenceUrl),
                    InferenceApiKey = parse.GetValue(inferenceKey),
                    ModelPath = parse.GetValue(model)?.FullName,
                    RetrainInterval = parse.GetValue(retrainEvery),
                    Configuration = configuration,
                };
                using var host = await LocalPipelineHost.StartAsync(settings, ConfigureLogging, ct).ConfigureAwait(false);
                var web = await ServeWebMap.StartAsync(host, settings.Storage, parse.GetValue(port), ct).ConfigureAwait(false);
                await using var webScope = web.ConfigureAwait(false);
                await Console.Error.WriteLineAsync("Serving: drop scenes into the 'scenes' container; results appear under 'results/{scene}/'. Ctrl+C stops.")
                    .ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: stop the listeners once, let running functions finish, then Azurite goes with the host.
                }

                // Within the command line's 2 s grace period after Ctrl+C.
                await host.StopAsync(TimeSpan.FromSeconds(1.5)).ConfigureAwait(false);
            },
            cancellationToken));
        return command;
    }

    /// <summary><c>landslide serve drop SCENE.tif [--storage CONN]</c>: upload a scene to scenes/ (what triggers a run).</summary>
    private static Command CreateDrop()
    {
        var scene = new Argument<FileInfo>("scene") { Description = "The scene GeoTIFF to upload to the scenes container." };
        var storage = StorageOption();
        var command = new Command("drop", "Upload a scene into scenes/ of the served storage; the running `landslide serve` maps it.") { scene, storage };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var file = parse.GetRequiredValue(scene);
                if (!file.Exists)
                {
                    throw new FileNotFoundException($"scene not found: {file.FullName}", file.FullName);
                }

                var pipeline = PipelineStorage.FromConnectionString(parse.GetRequiredValue(storage));
                await pipeline.EnsureCreatedAsync(ct).ConfigureAwait(false);
                await pipeline.Container(StorageNames.ScenesContainer).GetBlobClient(file.Name).UploadAsync(file.FullName, overwrite: true, ct).ConfigureAwait(false);
                Console.WriteLine($"uploaded scenes/{file.Name}; results will appear under results/{SceneNames.FromBlobName(file.Name)}/");
            },
            cancellationToken));
        return command;
    }

    /// <summary><c>landslide serve status NAME [--storage CONN]</c>: the latest run of a scene, as GET /api/runs/{scene} answers it.</summary>
    private static Command CreateStatus()
    {
        var scene = new Argument<string>("scene") { Description = "Scene name (file name without .tif)." };
        var storage = StorageOption();
        var command = new Command("status", "Print the latest run of a scene (status, chunks, polygons, links) as JSON.") { scene, storage };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var pipeline = PipelineStorage.FromConnectionString(parse.GetRequiredValue(storage));
                var view = await new RunQueries(pipeline, new RunStore(pipeline)).LatestAsync(parse.GetRequiredValue(scene), ct).ConfigureAwait(false)
                    ?? throw new FileNotFoundException($"no run of scene '{parse.GetRequiredValue(scene)}' yet");
                Console.WriteLine(JsonSerializer.Serialize(view, new JsonSerializerOptions { WriteIndented = true }));
            },
            cancellationToken));
        return command;
    }

    private static Option<string> StorageOption() => new("--storage")
    {
        Description = "Storage connection string (default: the local Azurite emulator).",
        DefaultValueFactory = _ => "UseDevelopmentStorage=true",
    };

    private static void ConfigureLogging(ILoggingBuilder builder) => builder
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        })
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("Azure", LogLevel.Error) // the WebJobs SDK probes poison queues that do not exist yet: 404s are normal
        .AddFilter("Host", LogLevel.Warning)
        .AddFilter("Function", LogLevel.Information);
}
