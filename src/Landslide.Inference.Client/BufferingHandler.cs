namespace Landslide.Inference.Client;

/// <summary>
/// Reads the whole answer inside the attempt, so a connection dropped mid-body surfaces as an
/// HttpRequestException the retry strategy sees (HttpClient would otherwise read it after the pipeline).
/// </summary>
internal sealed class BufferingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            response.Dispose();
            throw new HttpRequestException($"the answer broke off mid-body: {ex.Message}", ex);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }
}
