using Landslide.Core.Blending;

namespace Landslide.Core.Tests.Blending;

public sealed class TileWeightsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    public void Taper_OfNeighboursOneStrideApart_SumsToOne_AndStaysPositive(int overlap)
    {
        var taper = TileWeights.Create(overlap);
        var stride = 128 - overlap;

        for (var j = 0; j < overlap; j++)
        {
            Assert.Equal(1.0, taper[stride + j] + (double)taper[j], 1e-6);
        }

        Assert.All(taper, w => Assert.True(w > 0));
        Assert.Equal(overlap < 64 ? 1f : taper[63], taper[64]);
        Assert.Equal(taper[0], taper[127]);
    }
}
