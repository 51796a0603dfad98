using System.Text.Json;

namespace Landslide.Functions.Tests;

/// <summary>The functions.metadata the Worker SDK generates is what the Functions host loads: every function and binding.</summary>
public sealed class FunctionsMetadataTests
{
    [Fact]
    public void Metadata_ListsEveryFunction_WithTheIntendedBindings()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsOutput(), "functions.metadata")));
        var functions = metadata.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("bindings")[0].Clone());

        Assert.Equal(
            ["AlertDispatcher", "ChunkWorker", "Finalizer", "GetRun", "Health", "RetrainNow", "RetrainSchedule", "SceneArrived", "SceneArrivedFromQueue", "StallSweep",
                "WebAsset", "WebListPage", "WebModelPlot", "WebModels", "WebOutput", "WebRun", "WebRunPage", "WebRuns"],
            functions.Keys.Order(StringComparer.Ordinal));

        var blob = functions["SceneArrived"];
        Assert.Equal("blobTrigger", blob.GetProperty("type").GetString());
        Assert.Equal("scenes/{name}", blob.GetProperty("path").GetString());
        Assert.Equal("EventGrid", blob.GetProperty("source").GetString());
        Assert.Equal("Storage", blob.GetProperty("connection").GetString());

        foreach (var (name, queue) in new[] { ("ChunkWorker", "chunks"), ("Finalizer", "finalize"), ("AlertDispatcher", "alerts"), ("SceneArrivedFromQueue", "scenes-arrived") })
        {
            Assert.Equal("queueTrigger", functions[name].GetProperty("type").GetString());
            Assert.Equal(queue, functions[name].GetProperty("queueName").GetString());
            Assert.Equal("Storage", functions[name].GetProperty("connection").GetString());
        }

        Assert.Equal("timerTrigger", functions["RetrainSchedule"].GetProperty("type").GetString());
        Assert.Equal("%RETRAIN_SCHEDULE%", functions["RetrainSchedule"].GetProperty("schedule").GetString());
        Assert.Equal("timerTrigger", functions["StallSweep"].GetProperty("type").GetString());
        Assert.Equal("0 */1 * * * *", functions["StallSweep"].GetProperty("schedule").GetString());
        Assert.Equal("runs/{scene}", functions["GetRun"].GetProperty("route").GetString());
        Assert.Equal("health", functions["Health"].GetProperty("route").GetString());
        Assert.Equal("retrain", functions["RetrainNow"].GetProperty("route").GetString());
        Assert.Equal("function", functions["RetrainNow"].GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Equal("anonymous", functions["Health"].GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Equal("web/runs/{scene}/files/{name}", functions["WebOutput"].GetProperty("route").GetString());
        Assert.Equal("function", functions["WebOutput"].GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Equal("anonymous", functions["WebAsset"].GetProperty("authLevel").GetString(), ignoreCase: true);
    }

    [Fact]
    public void App_LoadsNeitherOnnxRuntimeNorTorchSharp_AndShipsHostJson()
    {
        var output = FunctionsOutput();
        var deps = File.ReadAllText(Path.Combine(output, "Landslide.Functions.deps.json"));

        Assert.DoesNotContain("Microsoft.ML.OnnxRuntime", deps, StringComparison.Ordinal);
        Assert.DoesNotContain("TorchSharp", deps, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Landslide.Inference/", deps, StringComparison.Ordinal);
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "host.json")));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal(5, host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());
    }

    /// <summary>The Functions project's own output folder: a sibling of this test's folder (same configuration and RID).</summary>
    private static string FunctionsOutput()
    {
        var mine = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var sibling = Path.Combine(mine.Parent!.Parent!.FullName, "Landslide.Functions", mine.Name);
        Assert.True(File.Exists(Path.Combine(sibling, "functions.metadata")), $"functions.metadata not found in {sibling}; build src/Landslide.Functions first");
        return sibling;
    }
}
