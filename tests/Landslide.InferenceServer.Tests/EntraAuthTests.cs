using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Landslide.InferenceServer.Tests;

/// <summary>EntraId mode with tokens signed by an RSA key made here; the JWT handler trusts that key only (no network).</summary>
public sealed class EntraAuthTests : IAsyncLifetime
{
    private const string Issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0";
    private const string Audience = "api://landslide-inference-test";
    private const string Role = "Segment.Invoke";
    private const string Scope = "segment";

    private readonly TempDirectory _models = new("server-entra");
    private readonly RSA _trusted = RSA.Create(2048);
    private readonly RSA _stranger = RSA.Create(2048);
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
        var key = new RsaSecurityKey(_trusted.ExportParameters(false)) { KeyId = "test-key" };
        _server = await RunningServer.StartAsync(
            _models.Path,
            new Dictionary<string, string>
            {
                ["AuthMode"] = "EntraId",
                ["EntraAuthority"] = Issuer,
                ["EntraAudience"] = Audience,
                ["EntraRequiredRoles:0"] = Role,
                ["EntraRequiredScopes:0"] = Scope,
            },
            builder => builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
            {
                // The authority's metadata would be fetched over the network: trust the local key instead.
                jwt.ConfigurationManager = null;
                jwt.TokenValidationParameters.IssuerSigningKey = key;
                jwt.TokenValidationParameters.ValidIssuer = Issuer;
            }));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _trusted.Dispose();
        _stranger.Dispose();
        _models.Dispose();
    }

    [Fact]
    public async Task TokenWithTheRole_IsServed()
    {
        using var response = await Get(Token(_trusted, new Dictionary<string, object> { ["roles"] = new[] { "Other", Role } }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString());
    }

    [Fact]
    public async Task TokenWithTheScope_IsServed_ForSegment()
    {
        using var http = _server.CreateClient(withKey: false);
        using var request = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 2), 1);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(_trusted, new Dictionary<string, object> { ["scp"] = $"read {Scope}" }));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ValidTokenWithoutRoleOrScope_Is403ProblemJson()
    {
        using var response = await Get(Token(_trusted, new Dictionary<string, object> { ["roles"] = new[] { "Reader" }, ["scp"] = "read" }));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertProblem(response, "forbidden");
    }

    public static TheoryData<string> BadTokens => new() { "none", "foreign-signature", "expired", "wrong-audience", "garbage" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task InvalidToken_Is401ProblemJson_WithoutExplainingWhy(string kind)
    {
        var claims = new Dictionary<string, object> { ["roles"] = new[] { Role } };
        var token = kind switch
        {
            "none" => null,
            "foreign-signature" => Token(_stranger, claims),
            "expired" => Token(_trusted, claims, expires: DateTime.UtcNow.AddHours(-1)),
            "wrong-audience" => Token(_trusted, claims, audience: "api://someone-else"),
            _ => "not.a.token",
        };

        using var response = await Get(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertProblem(response, InferenceProtocol.Errors.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    private async Task<HttpResponseMessage> Get(string? token)
    {
        using var http = _server.CreateClient(withKey: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/model");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    private static async Task AssertProblem(HttpResponseMessage response, string code)
    {
        Assert.Equal(InferenceProtocol.ProblemContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("v1", response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    private static string Token(RSA key, Dictionary<string, object> claims, DateTime? expires = null, string audience = Audience)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = expiry.AddHours(-2),
            IssuedAt = expiry.AddHours(-2),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
    }
}
