using System.Globalization;
using System.Text.Json;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Triggers;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Hosting.Tests;

/// <summary>
/// `landslide serve`'s WebJobs host and the Functions app's host.json agree on every queue and blob-trigger setting:
/// the file at the repository root is read here on its own and compared with what the built local host resolves.
/// </summary>
public sealed class HostJsonParityTests
{
    [Fact]
    public void LocalHost_QueueAndBlobSettings_AreHostJsons()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "host.json")));
        var extensions = file.RootElement.GetProperty("extensions");
        var queuesJson = extensions.GetProperty("queues");
        var blobsJson = extensions.GetProperty("blobs");

        using var host = LocalPipelineHost.CreateBuilder(new ServeSettings()).Build();
        var queues = host.Services.GetRequiredService<IOptions<QueuesOptions>>().Value;
        var blobs = host.Services.GetRequiredService<IOptions<BlobsOptions>>().Value;
        var pipeline = host.Services.GetRequiredService<IOptions<PipelineOptions>>().Value;

        Assert.Equal(queuesJson.GetProperty("batchSize").GetInt32(), queues.BatchSize);
        Assert.Equal(queuesJson.GetProperty("newBatchThreshold").GetInt32(), queues.NewBatchThreshold);
        Assert.Equal(queuesJson.GetProperty("maxDequeueCount").GetInt32(), queues.MaxDequeueCount);
        Assert.Equal(Span(queuesJson, "visibilityTimeout"), queues.VisibilityTimeout);
        Assert.Equal(Span(queuesJson, "maxPollingInterval"), queues.MaxPollingInterval);
        Assert.Equal(queuesJson.GetProperty("messageEncoding").GetString(), queues.MessageEncoding.ToString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(blobsJson.GetProperty("maxDegreeOfParallelism").GetInt32(), blobs.MaxDegreeOfParallelism);
        Assert.Equal(blobsJson.GetProperty("poisonBlobThreshold").GetInt32(), blobs.PoisonBlobThreshold);
        // The handlers record a failure on the run on the last delivery the host makes.
        Assert.Equal(queues.MaxDequeueCount, pipeline.MaxDequeueCount);
    }

    [Fact]
    public void HostJsonParse_MissingSetting_NamesIt()
    {
        var error = Assert.Throws<InvalidDataException>(() => HostJson.Parse("""{ "extensions": { "queues": { "batchSize": 2 }, "blobs": {} } }"""));

        Assert.Contains("newBatchThreshold", error.Message, StringComparison.Ordinal);
    }

    private static TimeSpan Span(JsonElement element, string name) =>
        TimeSpan.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Landslide.Functions.sln")) && File.Exists(Path.Combine(folder.FullName, "host.json")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no repository root (Landslide.Functions.sln + host.json) above {AppContext.BaseDirectory}");
    }
}
