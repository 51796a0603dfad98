using Landslide.Pipeline.DependencyInjection;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Triggers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Tests.Runs;

/// <summary>Pipeline settings as the Bicep sets them (strings), bound and validated the way the hosts do it.</summary>
public sealed class PipelineOptionsTests
{
    [Fact]
    public void BicepValues_Bind()
    {
        var options = Bind(new()
        {
            ["Pipeline:ChunkSize"] = "2048", ["Pipeline:Overlap"] = "32", ["Pipeline:Threshold"] = "0.5", ["Pipeline:MinAreaM2"] = "100",
        });

        Assert.Equal((2048, 32, 0.5, 100d), (options.ChunkSize, options.Overlap, options.Threshold, options.MinAreaM2));
        Assert.Equal(21, options.TileRowsPerChunk(96));
    }

    [Fact]
    public void Defaults_AreMapsDefaults()
    {
        // One set of run defaults (Mapping.RunDefaults): the cloud maps a scene as `landslide map` does.
        var cloud = Bind([]);
        var map = new Landslide.Pipeline.Mapping.MapOptions();

        Assert.Equal(
            (map.Overlap, map.BatchSize, map.BandProfile, map.QuicklookSize, map.Threshold, map.MinAreaM2, map.MinMeanProbability),
            (cloud.Overlap, cloud.BatchSize, cloud.BandProfile, cloud.QuicklookSize, cloud.Threshold, cloud.MinAreaM2, cloud.MinMeanProbability));
        Assert.Equal(HostJson.Queues.MaxDequeueCount, cloud.MaxDequeueCount);
    }

    [Fact]
    public void UnknownBandProfile_FailsValidation()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Pipeline:BandProfile"] = "landsat" }));

        Assert.Contains("landsat", error.Message, StringComparison.Ordinal);
    }

    private static PipelineOptions Bind(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddLandslidePipeline();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PipelineOptions>>().Value;
    }
}
