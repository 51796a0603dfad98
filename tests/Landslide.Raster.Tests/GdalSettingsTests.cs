namespace Landslide.Raster.Tests;

[Collection(GdalCacheCollection.Name)]
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

    [Fact]
    public void LimitBlockCache_OverlappingHolds_TakeTheSmallest_AndTheLastPutsTheSizeBack()
    {
        var original = GdalSettings.BlockCacheBytes;
        try
        {
            GdalSettings.BlockCacheBytes = 256L << 20;
            var outer = GdalSettings.LimitBlockCache(64L << 20);
            Assert.Equal(64L << 20, GdalSettings.BlockCacheBytes);
            var inner = GdalSettings.LimitBlockCache(128L << 20);
            Assert.Equal(64L << 20, GdalSettings.BlockCacheBytes);

            // The outer hold ends first (runs overlap in any order): the inner one still holds the cache down.
            outer.Dispose();
            outer.Dispose();
            Assert.Equal(64L << 20, GdalSettings.BlockCacheBytes);
            inner.Dispose();
            Assert.Equal(256L << 20, GdalSettings.BlockCacheBytes);
            Assert.Throws<ArgumentOutOfRangeException>(() => GdalSettings.LimitBlockCache(1000));
        }
        finally
        {
            GdalSettings.BlockCacheBytes = original;
        }
    }
}
