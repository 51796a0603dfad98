using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Landslide.CommandLine;
using Landslide.Core.Scenes;
using Landslide.Pipeline.Hosting;
using Landslide.Pipeline.Queries;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.SceneArrival;
using Landslide.Pipeline.Scenes;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Landslide.Cli.Commands;

/// <summary>
/// <c>landslide serve [--settings FILE] [--storage CONN] [--start-azurite] [--inference-url URL] [--webhook URL --webhook-secret S]...</c>:
/// the pipeline's stage handlers hosted locally (WebJobs SDK) until Ctrl+C, plus <c>drop</c>, <c>status</c> and
/// <c>results</c>. Every option can also come from LANDSLIDE_* environment variables or the settings file
/// (<see cref="ServeConfiguration"/>: command line, then environment, then file, then defaults).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var settings = SettingsOption();
        var storage = StorageOption();
        var startAzurite = new Option<bool>("--start-azurite") { Description = "Start Azurite (npm) when the storage is the local emulator and none is running." };
        var azuriteDebug = new Option<bool>("--azurite-debug") { Description = "Start Azurite with its debug log (large; only to chase an emulator problem)." };
        var inferenceUrl = new Option<string?>("--inference-url") { Description = "Segment through this inference service instead of the embedded model." };
        var inferenceKey = new Option<string?>("--inference-key") { Description = "X-Api-Key for --inference-url." };
        var model = new Option<string?>("--model") { Description = "model.onnx beside its manifest.json (default: the embedded model)." };
        var webhook = new Option<string[]>("--webhook") { Description = "POST alerts (and model.promoted / model.rejected events) to this URL; repeat for several webhooks." };
        var secret = new Option<string[]>("--webhook-secret")
        {
            Description = "HMAC-SHA256 key of the alert signature for the --webhook in the same position (or LANDSLIDE_Alerts__Webhooks__N__Secret).",
        };
        var profile = new Option<string?>("--profile") { Description = "Band profile of scenes without 'profile' metadata: l4s (default) or s2-l2a-dn." };
        var chunkSize = new Option<int?>("--chunk-size") { Description = "Chunk height in pixels (default 2048)." };
        var retrainEvery = new Option<string?>("--retrain-every") { Description = "Check training/ for new labelled data this often (e.g. 01:00:00)." };
        var trainCommand = new Option<string?>("--train-command") { Description = "Program the retrain check starts (default: landslide-train beside landslide or in the build output, run as `train --storage <this storage>`)." };
        var trainArguments = new Option<string?>("--train-args") { Description = "Arguments of --train-command; without --train-command, extra arguments after `train --storage <this storage>` (e.g. \"--width 16 --epochs 10\")." };
        var port = new Option<int?>("--port") { Description = "Port of the web map on 127.0.0.1 (default 5080, or a free one when 5080 is taken; 0: any free port)." };
        var command = new Command("serve", "Host the event-driven pipeline locally against Azure Storage or Azurite; drop scenes into scenes/.")
        {
            settings, storage, startAzurite, azuriteDebug, inferenceUrl, inferenceKey, model, webhook, secret, profile, chunkSize, retrainEvery, trainCommand,
            trainArguments, port, CreateDrop(), CreateStatus(), CreateResults(), ServeRetrainCommand.Create(),
        };

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var commandLine = new Dictionary<string, string?>
                {
                    [ServeConfiguration.StorageKey] = parse.GetValue(storage),
                    [ServeConfiguration.StartAzuriteKey] = parse.GetValue(startAzurite) ? "true" : null,
                    [ServeConfiguration.AzuriteDebugKey] = parse.GetValue(azuriteDebug) ? "true" : null,
                    [ServeConfiguration.InferenceUrlKey] = parse.GetValue(inferenceUrl),
                    [ServeConfiguration.InferenceApiKeyKey] = parse.GetValue(inferenceKey),
                    [ServeConfiguration.ModelKey] = parse.GetValue(model),
                    [ServeConfiguration.RetrainEveryKey] = parse.GetValue(retrainEvery),
                    [ServeWebMap.PortKey] = parse.GetValue(port)?.ToString(CultureInfo.InvariantCulture),
                    ["Pipeline:BandProfile"] = parse.GetValue(profile),
                    ["Pipeline:ChunkSize"] = parse.GetValue(chunkSize)?.ToString(CultureInfo.InvariantCulture),
                    ["Training:Command"] = parse.GetValue(trainCommand),
                    ["Training:Arguments"] = parse.GetValue(trainArguments),
                };
                var configuration = ServeConfiguration.Build(
                    parse.GetValue(settings)?.FullName, commandLine, parse.GetValue(webhook) ?? [], parse.GetValue(secret) ?? []);
                DefaultTrainingProgram(configuration);
                var serveSettings = ServeConfiguration.ToSettings(configuration);
                var level = CommonOptions.LogLevel(parse);
                using var host = await LocalPipelineHost.StartAsync(serveSettings, b => ConfigureLogging(b, level), ct).ConfigureAwait(false);
                var web = await ServeWebMap.StartAsync(host, serveSettings.Storage, ServeWebMap.Port(configuration), ct).ConfigureAwait(false);
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

    /// <summary><c>landslide serve drop SCENE.tif [--profile P] [--storage CONN]</c>: upload a scene to scenes/ (what triggers a run).</summary>
    private static Command CreateDrop()
    {
        var scene = new Argument<FileInfo>("scene") { Description = "The scene GeoTIFF to upload to the scenes container." };
        var profile = new Option<string?>("--profile")
        {
            Description = "Band profile of this scene (l4s or s2-l2a-dn), stored as the blob's 'profile' metadata; default: the server's Pipeline:BandProfile.",
        };
        var storage = StorageOption();
        var settings = SettingsOption();
        var command = new Command("drop", "Upload a scene into scenes/ of the served storage; the running `landslide serve` maps it.") { scene, profile, storage, settings };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var file = parse.GetRequiredValue(scene);
                if (!file.Exists)
                {
                    throw new FileNotFoundException($"scene not found: {file.FullName}", file.FullName);
                }

                var metadata = new Dictionary<string, string>();
                if (parse.GetValue(profile) is { } name)
                {
                    metadata[SceneArrivedHandler.ProfileMetadata] = BandProfile.Parse(name).Name;
                }

                var pipeline = await OpenStorageAsync(parse, storage, settings, ct).ConfigureAwait(false);
                await pipeline.EnsureCreatedAsync(ct).ConfigureAwait(false);
                await pipeline.Container(StorageNames.ScenesContainer).GetBlobClient(file.Name)
                    .UploadAsync(file.FullName, new BlobUploadOptions { Metadata = metadata }, ct).ConfigureAwait(false);
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
        var settings = SettingsOption();
        var command = new Command("status", "Print the latest run of a scene (status, chunks, polygons, stalls, read-only links) as JSON.") { scene, storage, settings };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var pipeline = await OpenStorageAsync(parse, storage, settings, ct).ConfigureAwait(false);
                var stall = Options.Create(PipelineSettings(parse, storage, settings));
                var view = await new RunQueries(pipeline, new RunStore(pipeline), stall).LatestAsync(parse.GetRequiredValue(scene), ct).ConfigureAwait(false)
                    ?? throw new FileNotFoundException($"no run of scene '{parse.GetRequiredValue(scene)}' yet");
                Console.WriteLine(JsonSerializer.Serialize(view, new JsonSerializerOptions { WriteIndented = true }));
            },
            cancellationToken));
        return command;
    }

    /// <summary><c>landslide serve results NAME -o DIR</c>: download results/{scene}/ (the outputs, or error.json of a rejected scene).</summary>
    private static Command CreateResults()
    {
        var scene = new Argument<string>("scene") { Description = "Scene name (file name without .tif)." };
        var output = CommonOptions.OutDirectory("Folder to download the outputs into.");
        var storage = StorageOption();
        var settings = SettingsOption();
        var command = new Command("results", "Download a scene's results (mask.tif, probability.tif, landslides.geojson, ... or error.json) into a folder.")
        {
            scene, output, storage, settings,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var name = parse.GetRequiredValue(scene);
                var pipeline = await OpenStorageAsync(parse, storage, settings, ct).ConfigureAwait(false);
                var view = await new RunQueries(pipeline, new RunStore(pipeline)).LatestAsync(name, ct).ConfigureAwait(false)
                    ?? throw new FileNotFoundException($"no run of scene '{name}' yet");
                if (view.Status is not (RunStatus.Completed or RunStatus.Rejected))
                {
                    throw new FileNotFoundException($"scene '{name}' has no results yet: its run is {view.Status} ({view.ChunksDone} of {view.ChunkCount} chunks done)");
                }

                var folder = parse.GetRequiredValue(output);
                folder.Create();
                var results = pipeline.Container(StorageNames.ResultsContainer);
                var count = 0;
                await foreach (var blob in results.GetBlobsAsync(BlobTraits.None, BlobStates.None, name + "/", ct).ConfigureAwait(false))
                {
                    var target = Path.Combine(folder.FullName, blob.Name[(name.Length + 1)..]);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await results.GetBlobClient(blob.Name).DownloadToAsync(target, ct).ConfigureAwait(false);
                    Console.WriteLine(target);
                    count++;
                }

                await Console.Error.WriteLineAsync($"{count} files of run {view.RunId} ({view.Status}) -> {folder.FullName}").ConfigureAwait(false);
            },
            cancellationToken));
        return command;
    }

    private static async Task<PipelineStorage> OpenStorageAsync(ParseResult parse, Option<string?> storage, Option<FileInfo?> settings, CancellationToken cancellationToken)
    {
        var configuration = ServeConfiguration.Build(
            parse.GetValue(settings)?.FullName, new Dictionary<string, string?> { [ServeConfiguration.StorageKey] = parse.GetValue(storage) }, [], []);
        var connection = ServeConfiguration.Storage(configuration);
        await StorageProbe.ThrowIfUnreachableAsync(connection, cancellationToken).ConfigureAwait(false);
        return PipelineStorage.FromConnectionString(connection);
    }

    /// <summary>Section Pipeline as the server sees it (same sources), so status judges stalls by the server's StallAfter.</summary>
    private static PipelineOptions PipelineSettings(ParseResult parse, Option<string?> storage, Option<FileInfo?> settings) =>
        ServeConfiguration.Build(parse.GetValue(settings)?.FullName, new Dictionary<string, string?> { [ServeConfiguration.StorageKey] = parse.GetValue(storage) }, [], [])
            .GetSection(PipelineOptions.SectionName).Get<PipelineOptions>() ?? new PipelineOptions();

    private static Option<string?> StorageOption() => new("--storage")
    {
        Description = "Storage connection string (or LANDSLIDE_Serve__Storage; default: the local Azurite emulator).",
    };

    private static Option<FileInfo?> SettingsOption() => new("--settings")
    {
        Description = "appsettings-style JSON file (sections Serve, Pipeline, Alerts, Training); environment and command line override it.",
    };

    /// <summary>
    /// With a retrain schedule and no Training:Command, the schedule starts landslide-train (<see cref="TrainingProgram"/>)
    /// as <c>train --storage STORAGE</c> plus Training:Arguments: the training runs in that process, never in serve's.
    /// </summary>
    private static void DefaultTrainingProgram(IConfigurationRoot configuration)
    {
        if (configuration[ServeConfiguration.RetrainEveryKey] is not { Length: > 0 } || configuration["Training:Command"] is { Length: > 0 })
        {
            return;
        }

        var program = TrainingProgram.Find(null);
        var extra = configuration["Training:Arguments"] is { Length: > 0 } more ? " " + more : string.Empty;
        configuration["Training:Command"] = program.Command;
        configuration["Training:Arguments"] = program.Arguments(["train", "--storage", "env"]) + extra;
        configuration["Training:StorageConnectionString"] = ServeConfiguration.Storage(configuration);
    }

    private static void ConfigureLogging(ILoggingBuilder builder, LogLevel level) => CliLogging.Configure(builder, level)
        .AddFilter("Azure", LogLevel.Error) // the WebJobs SDK probes poison queues that do not exist yet: 404s are normal
        .AddFilter("Host", level > LogLevel.Warning ? level : LogLevel.Warning)
        .AddFilter("Function", level);
}
