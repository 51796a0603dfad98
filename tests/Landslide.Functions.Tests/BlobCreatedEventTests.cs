namespace Landslide.Functions.Tests;

/// <summary>The blob name in an Event Grid BlobCreated event, as Event Grid writes it to the scenes-arrived queue.</summary>
public sealed class BlobCreatedEventTests
{
    [Theory]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/scenes/blobs/kerala-2024.tif"}""", "kerala-2024.tif")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/scenes/blobs/2024/07/wayanad 1.tif"}""", "2024/07/wayanad 1.tif")]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","source":"/subscriptions/0","subject":"/blobServices/default/containers/scenes/blobs/a.tif"}""", "a.tif")]
    public void TryParse_ReadsTheBlobName_FromTheSubject(string message, string expected)
    {
        Assert.True(BlobCreatedEvent.TryParse(message, "scenes", out var name));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/scenes/blobs/"}""")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/scenes-old/blobs/a.tif"}""")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":42}""")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated"}""")]
    [InlineData("null")]
    [InlineData("")]
    public void TryParse_RefusesWhatIsNotABlobCreatedEventForTheContainer(string message)
    {
        Assert.False(BlobCreatedEvent.TryParse(message, "scenes", out var name));
        Assert.Equal(string.Empty, name);
    }
}
