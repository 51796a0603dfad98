using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Auth;
using Landslide.InferenceServer.Batching;
using Landslide.InferenceServer.Endpoints;
using Landslide.InferenceServer.Models;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer;

/// <summary>Builds the inference service; Program runs it, tests start it in process on 127.0.0.1:0.</summary>
public static class InferenceServerApp
{
    /// <summary>Builds the app from command-line arguments (e.g. --urls, --InferenceServer:ModelsRoot=...).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var services = builder.Services;

        services.AddOptions<InferenceServerOptions>()
            .BindConfiguration(InferenceServerOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.AuthMode != AuthMode.ApiKey || (o.ApiKeys.Count > 0 && o.ApiKeys.All(k => !string.IsNullOrWhiteSpace(k))), "ApiKey mode needs at least one non-empty InferenceServer:ApiKeys entry")
            .Validate(o => o.AuthMode != AuthMode.EntraId || (!string.IsNullOrWhiteSpace(o.EntraAuthority) && !string.IsNullOrWhiteSpace(o.EntraAudience)), "EntraId mode needs InferenceServer:EntraAuthority and InferenceServer:EntraAudience")
            .Validate(o => o.MaxBatchWait >= TimeSpan.Zero && o.ModelPollInterval > TimeSpan.Zero, "MaxBatchWait must be >= 0 and ModelPollInterval > 0")
            .ValidateOnStart();

        // Oversize bodies are refused by Kestrel itself, whatever the headers claim.
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<InferenceServerOptions>>((kestrel, o) => kestrel.Limits.MaxRequestBodySize = o.Value.MaxRequestBytes);

        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<ModelSlot>();
        services.AddSingleton<IModelSource, LocalFolderModelSource>();
        services.AddSingleton<ISegmenterLoader, OnnxSegmenterLoader>();
        services.AddSingleton<ModelWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelWatcher>());
        services.AddSingleton<DynamicBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DynamicBatcher>());

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<InferenceServerOptions>>((jwt, o) =>
            {
                jwt.Authority = o.Value.EntraAuthority;
                jwt.Audience = o.Value.EntraAudience;
                jwt.MapInboundClaims = false;
            });
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>()
            .Configure<IOptions<InferenceServerOptions>>((authz, o) => authz.DefaultPolicy = new AuthorizationPolicyBuilder(
                    o.Value.AuthMode == AuthMode.EntraId ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .Build());

        configure?.Invoke(builder);

        var app = builder.Build();
        var slot = app.Services.GetRequiredService<ModelSlot>();

        // X-Model-Version on every answer, errors and 401s included, so a caller always knows what served it.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (!context.Response.Headers.ContainsKey(InferenceProtocol.ModelVersionHeader))
                {
                    context.Response.Headers[InferenceProtocol.ModelVersionHeader] = slot.Current?.Descriptor.Version ?? "none";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });

        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet(InferenceProtocol.HealthPath, () => Results.Text("ok")).AllowAnonymous();
        app.MapGet(InferenceProtocol.ReadyPath, (IOptions<InferenceServerOptions> o) => slot.Current is { } model
                ? Results.Json(new { status = "ready", version = model.Descriptor.Version, provider = model.Provider })
                : Problems.Result(StatusCodes.Status503ServiceUnavailable, InferenceProtocol.Errors.NotReady, "No model is loaded and warmed up yet.", o.Value.RetryAfterSeconds))
            .AllowAnonymous();
        app.MapGet(InferenceProtocol.ModelPath, (IOptions<InferenceServerOptions> options) =>
            {
                var o = options.Value;
                if (slot.Current is not { } model)
                {
                    return Problems.Result(StatusCodes.Status503ServiceUnavailable, InferenceProtocol.Errors.NotReady, "No model is loaded yet.", o.RetryAfterSeconds);
                }

                var d = model.Descriptor;
                return Results.Json(new
                {
                    version = d.Version,
                    sha256 = d.Sha256,
                    threshold = d.Threshold,
                    featureVersion = d.FeatureVersion,
                    width = d.Width,
                    provider = model.Provider,
                    loadedAt = model.LoadedAt,
                    maxTilesPerRequest = o.MaxTilesPerRequest,
                    maxBatchTiles = o.MaxBatchTiles,
                    maxBatchWaitMs = o.MaxBatchWait.TotalMilliseconds,
                    queueCapacity = o.QueueCapacity,
                    inputTypes = new[] { InferenceProtocol.Float16, InferenceProtocol.Float32 },
                    outputTypes = new[] { InferenceProtocol.UInt8, InferenceProtocol.Float32 },
                });
            })
            .RequireAuthorization();
        app.MapGet(InferenceProtocol.MetricsPath, (ServerMetrics metrics, DynamicBatcher batcher) => Results.Json(metrics.Snapshot(batcher.QueuedRequests))).RequireAuthorization();
        app.MapPost(InferenceProtocol.SegmentPath, SegmentEndpoint.HandleAsync).RequireAuthorization();

        return app;
    }
}
