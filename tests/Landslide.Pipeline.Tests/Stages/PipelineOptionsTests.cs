using Landslide.Pipeline.Stages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Tests.Stages;

/// <summary>Pipeline settings as the Bicep sets them (strings), bound and validated the way the hosts do it.</summary>
public sealed class PipelineOptionsTests
{
    [Fact]
    public void BicepValues_Bind()
    {
        var options = Bind(new()
        {
            ["Pipeline:ChunkSize"] = "2048", ["Pipeline:Halo"] = "64", ["Pipeline:Overlap"] = "32", ["Pipeline:Threshold"] = "0.5", ["Pipeline:MinAreaM2"] = "100",
        });

        Assert.Equal((2048, 64, 32, 0.5, 100d), (options.ChunkSize, options.Halo, options.Overlap, options.Threshold, options.MinAreaM2));
        Assert.Equal(21, options.TileRowsPerChunk(96));
    }

    [Fact]
    public void HaloWiderThanTheStride_FailsValidation()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Pipeline:Halo"] = "100", ["Pipeline:Overlap"] = "32" }));

        Assert.Contains("Pipeline:Halo 100", error.Message, StringComparison.Ordinal);
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
