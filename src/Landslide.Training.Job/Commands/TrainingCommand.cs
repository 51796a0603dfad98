using System.CommandLine;
using System.Globalization;
using Azure.Storage.Blobs;
using Landslide.CommandLine;
using Landslide.Core.Scenes;
using Landslide.Training.Labels;
using Landslide.Training.Registry;
using Landslide.Training.Storage;

namespace Landslide.Training.Job.Commands;

/// <summary>
/// <c>landslide-train training add SCENE --labels FILE [--name N] [--band-profile P] [--storage CONN]</c> and
/// <c>landslide-train training list [--storage CONN]</c>: labelled pairs in training/ of the served storage.
/// </summary>
internal static class TrainingCommand
{
    public static Command Create() => new("training", "Labelled scenes for retraining: add them to training/, list them.")
    {
        CreateAdd(),
        CreateList(),
    };

    private static Command CreateAdd()
    {
        var scene = new Argument<FileInfo>("scene") { Description = "The scene GeoTIFF (14 bands, same contract as `map`)." };
        var labels = new Option<FileInfo>("--labels")
        {
            Description = "Polygons (GeoJSON, GeoPackage; any CRS; optional 'labelled-area' polygon) or a uint8 raster on the scene's grid (1 landslide, 0 background, 255 unlabelled).",
            Required = true,
        };
        var name = new Option<string?>("--name") { Description = "Pair name: training/{name}/ (default: the scene's file name)." };
        var profile = new Option<string>("--band-profile") { Description = "l4s or s2-l2a-dn.", DefaultValueFactory = _ => BandProfile.L4s.Name };
        var storage = StorageOption();
        var command = new Command("add", "Check a scene + labels pair and upload it to training/{name}/ (scene, rasterized labels, manifest).")
        {
            scene, labels, name, profile, storage,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var sceneFile = parse.GetRequiredValue(scene);
                var work = Directory.CreateTempSubdirectory("landslide-labels-");
                try
                {
                    var pair = LabelledPairPreparer.Prepare(
                        sceneFile.FullName, parse.GetRequiredValue(labels).FullName, parse.GetRequiredValue(profile), parse.GetValue(name), work.FullName);
                    var store = await StoreAsync(parse.GetRequiredValue(storage), ct).ConfigureAwait(false);
                    await store.UploadAsync(pair, ct).ConfigureAwait(false);
                    var m = pair.Manifest;
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"added training/{m.Name}/ ({m.LabelSource}): {m.LandslidePixels} landslide px, {m.BackgroundPixels} background px, {m.UnlabelledPixels} unlabelled px"));
                }
                finally
                {
                    work.Delete(recursive: true);
                }
            },
            cancellationToken));
        return command;
    }

    private static Command CreateList()
    {
        var storage = StorageOption();
        var json = CommonOptions.Json();
        var command = new Command("list", "List the labelled pairs in training/ and which ones the current model was trained or evaluated on.") { storage, json };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            async ct =>
            {
                var connection = parse.GetRequiredValue(storage);
                var store = await StoreAsync(connection, ct).ConfigureAwait(false);
                var models = new BlobServiceClient(connection).GetBlobContainerClient("models");
                await models.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
                var current = await new BlobModelRegistry(models).CurrentAsync(ct).ConfigureAwait(false);
                var roles = current?.TrainingData?.Items.ToDictionary(i => i.Name, i => (i.Role, i.Hash), StringComparer.Ordinal)
                    ?? new Dictionary<string, (string Role, string Hash)>(StringComparer.Ordinal);
                var pairs = (await store.ListPairsAsync(ct).ConfigureAwait(false)).Select(pair => new ListedPair(
                    pair.Name,
                    pair.LabelSource,
                    pair.LandslidePixels,
                    pair.BackgroundPixels,
                    roles.TryGetValue(pair.Name, out var r) ? (r.Hash == pair.ContentHash ? r.Role : $"{r.Role} (older content)") : "no")).ToList();
                var patches = await store.ListL4sPatchesAsync(ct).ConfigureAwait(false);
                var patchesUsed = patches.Count(p => roles.ContainsKey(p.Name));
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(new TrainingList(current?.Manifest.Version, pairs, patches.Count, patchesUsed));
                    return;
                }

                Console.WriteLine($"current model: {current?.Manifest.Version ?? "none"}");
                Console.WriteLine($"{"pair",-32} {"labels",-9} {"landslide px",12} {"background px",13}  in current model");
                foreach (var pair in pairs)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{pair.Name,-32} {pair.Labels,-9} {pair.LandslidePixels,12} {pair.BackgroundPixels,13}  {pair.InCurrentModel}"));
                }

                if (patches.Count > 0)
                {
                    Console.WriteLine($"Landslide4Sense patches (HDF5): {patches.Count}, {patchesUsed} in the current model's data");
                }
            },
            cancellationToken));
        return command;
    }

    private static async Task<TrainingStore> StoreAsync(string connection, CancellationToken cancellationToken)
    {
        var container = new BlobServiceClient(connection).GetBlobContainerClient("training");
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new TrainingStore(container);
    }

    private static Option<string> StorageOption() => new("--storage")
    {
        Description = "Storage connection string (default: the local Azurite emulator).",
        DefaultValueFactory = _ => "UseDevelopmentStorage=true",
    };

    /// <summary>One row of `training list` (and of its --json).</summary>
    private sealed record ListedPair(string Name, string Labels, long LandslidePixels, long BackgroundPixels, string InCurrentModel);

    /// <summary>`training list --json`.</summary>
    private sealed record TrainingList(string? CurrentModel, IReadOnlyList<ListedPair> Pairs, int L4sPatches, int L4sPatchesInCurrentModel);
}
