using Landslide.Core.Segmentation;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Landslide.InferenceServer.Auth;

/// <summary>
/// EntraId mode: a token valid for the audience is not enough, the caller must hold one of the configured app roles
/// ("roles" claim) or delegated scopes ("scp", space-separated). Refusals are problem+json like API-key mode.
/// </summary>
internal static class EntraAuthorization
{
    public static JwtBearerEvents Events { get; } = new()
    {
        OnChallenge = async context =>
        {
            // The default challenge would explain the failure in WWW-Authenticate; say only which scheme is expected.
            context.HandleResponse();
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Write(context.HttpContext, StatusCodes.Status401Unauthorized, InferenceProtocol.Errors.Unauthorized, "A valid Entra ID bearer token for this API is required.").ConfigureAwait(false);
        },
        OnForbidden = context => Problems.Write(context.HttpContext, StatusCodes.Status403Forbidden, ServerErrors.Forbidden, "The token does not carry an app role or scope this API requires."),
    };

    public static AuthorizationPolicy Policy(IEnumerable<string> roles, IEnumerable<string> scopes)
    {
        var requiredRoles = roles.Where(r => !string.IsNullOrWhiteSpace(r)).ToHashSet(StringComparer.Ordinal);
        var requiredScopes = scopes.Where(s => !string.IsNullOrWhiteSpace(s)).ToHashSet(StringComparer.Ordinal);
        return new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context =>
                context.User.FindAll("roles").Any(c => requiredRoles.Contains(c.Value))
                || context.User.FindAll("scp").Any(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(requiredScopes.Contains)))
            .Build();
    }
}
