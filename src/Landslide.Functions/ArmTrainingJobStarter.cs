using System.Net.Http.Headers;
using Azure.Core;
using Landslide.Pipeline.Retrain;
using Microsoft.Extensions.Options;

namespace Landslide.Functions;

/// <summary>
/// Starts the Container Apps training job: ARM <c>POST {Training__JobResourceId}/start?api-version=2024-03-01</c> with
/// the Functions identity (it holds only the "training job starter" role on that job).
/// </summary>
internal sealed class ArmTrainingJobStarter(IHttpClientFactory httpClients, TokenCredential credential, IOptions<RetrainOptions> options) : ITrainingJobStarter
{
    /// <summary>Name of the ARM HttpClient in <see cref="IHttpClientFactory"/>, created per start.</summary>
    public const string HttpClientName = "Landslide.Arm";

    private static readonly Uri Arm = new("https://management.azure.com/");
    private static readonly string[] Scopes = ["https://management.azure.com/.default"];

    public async Task<string> StartAsync(RetrainRequest request, CancellationToken cancellationToken)
    {
        var job = options.Value.JobResourceId;
        if (string.IsNullOrWhiteSpace(job) || !job.StartsWith('/'))
        {
            throw new InvalidOperationException("Training__JobResourceId must be the training job's resource id (/subscriptions/.../jobs/NAME)");
        }

        var token = await credential.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken).ConfigureAwait(false);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(Arm, $"{job.TrimStart('/')}/start?api-version=2024-03-01"))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(message, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"starting training job {job} failed: HTTP {(int)response.StatusCode} {body}", null, response.StatusCode);
        }

        return System.Text.Json.JsonDocument.Parse(body).RootElement.TryGetProperty("name", out var name) ? name.GetString() ?? job : job;
    }
}
