using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Landslide.Pipeline.Hosting;
using Landslide.Pipeline.Queries;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Storage;
using Landslide.TestSupport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Landslide.Pipeline.Hosting.Tests;

/// <summary>
/// After failures (pixel data cut short, an alert that cannot be delivered) no SAS signature, account key or webhook
/// secret shows up in what a user or operator reads: `serve status`, the runs table, error.json, the host's log.
/// </summary>
public sealed class SecretLeakTests : IAsyncLifetime
{
    private const int Red = 3;
    private const string HookSecret = "hook-secret-7f3a9c";
    private readonly AzuriteFixture _azurite = new();
    private readonly TempDirectory _temp = new("leak");
    private readonly WebhookReceiver _receiver = new() { AlwaysFail = true };
    private readonly CollectingLoggerProvider _logs = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        _receiver.Dispose();
        _logs.Dispose();
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task FailedRuns_LeaveNoSecretInStatusTableErrorsOrLogs()
    {
        var modelPath = _temp.File("model.onnx");
        await File.WriteAllBytesAsync(modelPath, TinyOnnxModels.Passthrough(Red));
        var settings = new ServeSettings
        {
            Storage = _azurite.ConnectionString,
            ModelPath = modelPath,
            SceneSweepInterval = TimeSpan.FromSeconds(2),
            Configuration = new Dictionary<string, string?>
            {
                ["Pipeline:ChunkSize"] = "128",
                ["Pipeline:Threshold"] = "0.5",
                ["Pipeline:TempDirectory"] = _temp.Path,
                ["Alerts:Webhooks:0:Url"] = _receiver.Url.AbsoluteUri,
                ["Alerts:Webhooks:0:Secret"] = HookSecret,
                ["Alerts:MaxRetryAttempts"] = "1",
                ["Alerts:RetryBaseDelay"] = "00:00:00.100",
            },
        };
        var goodPath = new SceneBuilder { Width = 300, Height = 260 }.Write(_temp.File("good.tif"), (b, x, y) =>
            b != Red ? 1f : x is >= 100 and < 140 && y is >= 80 and < 120 ? 0.9f : 0.1f);
        var cutPath = CutShort(new SceneBuilder { Width = 300, Height = 600 }.Write(_temp.File("cut.tif"), (b, x, y) => 1f));

        using (var host = await LocalPipelineHost.StartAsync(settings, b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace), CancellationToken.None))
        {
            var storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
            await storage.Container(StorageNames.ScenesContainer).GetBlobClient("good.tif").UploadAsync(goodPath);
            await storage.Container(StorageNames.ScenesContainer).GetBlobClient("cut.tif").UploadAsync(cutPath);
            var queries = new RunQueries(storage, new RunStore(storage));
            await WaitAsync(async () => await FinalAsync(queries, "cut") && await FinalAsync(queries, "good") && await DeadLetteredAsync(storage), TimeSpan.FromSeconds(240));
            await host.StopAsync();
        }

        var texts = await EverythingAUserReadsAsync();
        var storageAfter = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        var cut = await new RunQueries(storageAfter, new RunStore(storageAfter)).LatestAsync("cut", CancellationToken.None);
        Assert.Equal(RunStatus.Rejected, cut!.Status);
        Assert.StartsWith("UnreadableData", cut.Reason, StringComparison.Ordinal);
        Assert.True(cut.Links.ContainsKey("error.json"), "the rejected scene has no error.json link");
        foreach (var (where, text) in texts)
        {
            Assert.False(text.Contains("sig=", StringComparison.OrdinalIgnoreCase), $"a SAS signature in {where}: {Excerpt(text, "sig=")}");
            Assert.False(text.Contains(AzuriteFixture.AccountKey, StringComparison.Ordinal), $"the account key in {where}");
            Assert.False(text.Contains(HookSecret, StringComparison.Ordinal), $"the webhook secret in {where}");
        }
    }

    /// <summary>A valid header, then pixel data cut off: the file opens and fails when its pixels are read.</summary>
    private static string CutShort(string path)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 3).ToArray());
        return path;
    }

    private static async Task<bool> FinalAsync(RunQueries queries, string scene) =>
        await queries.LatestAsync(scene, CancellationToken.None) is { } view && RunStatus.IsFinal(view.Status);

    private static async Task<bool> DeadLetteredAsync(PipelineStorage storage)
    {
        var properties = await storage.Queue(StorageNames.AlertsDeadLetterQueue).GetPropertiesAsync();
        return properties.Value.ApproximateMessagesCount > 0;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {timeout}");
            await Task.Delay(500);
        }
    }

    private async Task<List<(string Where, string Text)>> EverythingAUserReadsAsync()
    {
        var storage = PipelineStorage.FromConnectionString(_azurite.ConnectionString);
        var texts = new List<(string, string)>();
        var queries = new RunQueries(storage, new RunStore(storage));
        foreach (var scene in new[] { "cut", "good" })
        {
            var view = await queries.LatestAsync(scene, CancellationToken.None);
            Assert.NotNull(view);

            // The links are read-only SAS URLs on purpose (they are what the user opens); everything else must be clean.
            texts.Add(($"serve status {scene}", JsonSerializer.Serialize(view with { Links = new Dictionary<string, string>() })));
        }

        await foreach (var entity in storage.Runs.QueryAsync<TableEntity>())
        {
            texts.Add(($"runs table {entity.PartitionKey}/{entity.RowKey}", string.Join("\n", entity.Select(p => $"{p.Key}={p.Value}"))));
        }

        var results = storage.Container(StorageNames.ResultsContainer);
        await foreach (var blob in results.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, CancellationToken.None))
        {
            if (blob.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                texts.Add(($"results/{blob.Name}", (await results.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString()));
            }
        }

        foreach (var queue in new[] { StorageNames.AlertsDeadLetterQueue, StorageNames.ChunksQueue + "-poison", StorageNames.FinalizeQueue + "-poison" })
        {
            var client = storage.Queue(queue);
            if ((await client.ExistsAsync()).Value)
            {
                foreach (var message in (await client.PeekMessagesAsync(32)).Value)
                {
                    texts.Add(($"queue {queue}", Encoding.UTF8.GetString(message.Body.ToArray())));
                }
            }
        }

        texts.Add(("the host's log", string.Join("\n", _logs.Lines)));
        return texts;
    }

    private static string Excerpt(string text, string needle)
    {
        var at = text.IndexOf(needle, StringComparison.OrdinalIgnoreCase);
        return text.Substring(Math.Max(0, at - 200), Math.Min(300, text.Length - Math.Max(0, at - 200)));
    }
}
