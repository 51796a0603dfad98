namespace Landslide.Raster.Tests;

public sealed class GdalSettingsTests
{
    [Fact]
    public void BlockCacheBytes_RoundTrips_AndRejectsTinyValues()
    {
        var original = GdalSettings.BlockCacheBytes;
        try
        {
            GdalSettings.BlockCacheBytes = 96L << 20;
            Assert.Equal(96L << 20, GdalSettings.BlockCacheBytes);
            Assert.Throws<ArgumentOutOfRangeException>(() => GdalSettings.BlockCacheBytes = 1000);
        }
        finally
        {
            GdalSettings.BlockCacheBytes = original;
        }
    }
}
