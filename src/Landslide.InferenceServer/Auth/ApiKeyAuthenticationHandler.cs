using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Landslide.Core.Segmentation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer.Auth;

/// <summary>
/// Accepts a request whose X-Api-Key matches a configured key. Keys are compared as SHA-256 digests with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither content nor length leaks through timing.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<InferenceServerOptions> serverOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    private readonly byte[][] _keyDigests = [.. serverOptions.Value.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(InferenceProtocol.ApiKeyHeader, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(values[0]!), digest);
        var match = false;

        // Every key is compared, so the time taken does not say which one (if any) matched.
        foreach (var key in _keyDigests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, key);
        }

        if (!match)
        {
            return Task.FromResult(AuthenticateResult.Fail("the API key is not valid"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        => Problems.Write(Context, StatusCodes.Status401Unauthorized, InferenceProtocol.Errors.Unauthorized, "An API key (X-Api-Key) is required and must be valid.");
}
