using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Admission;
using Landslide.InferenceServer.Auth;
using Landslide.InferenceServer.Batching;
using Landslide.InferenceServer.Endpoints;
using Landslide.InferenceServer.Health;
using Landslide.InferenceServer.Telemetry;
using Landslide.InferenceServer.Models;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer;

/// <summary>Builds the inference service; Program runs it, tests start it in process on 127.0.0.1:0.</summary>
public static partial class InferenceServerApp
{
    /// <summary>Builds the app from command-line arguments (e.g. --urls, --InferenceServer:ModelsRoot=...).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var services = builder.Services;

        services.AddOptions<InferenceServerOptions>()
            .BindConfiguration(InferenceServerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceServerOptions>, InferenceServerOptionsValidator>();

        // Oversize bodies are refused by Kestrel itself, whatever the headers claim; idle, slow or header-dribbling
        // clients are cut off, and the number of open connections is bounded.
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<InferenceServerOptions>>((kestrel, options) =>
            {
                var o = options.Value;
                kestrel.Limits.MaxRequestBodySize = o.MaxRequestBytes;
                kestrel.Limits.MaxConcurrentConnections = o.MaxConcurrentConnections;
                kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(o.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5));
                kestrel.Limits.RequestHeadersTimeout = o.RequestHeadersTimeout;
            });

        services.AddSingleton<InferenceServerTelemetry>();
        services.AddSingleton<MemoryBudget>();
        services.AddSingleton<ModelSlot>();
        services.AddSingleton<IModelSource>(sp => sp.GetRequiredService<IOptions<InferenceServerOptions>>().Value.ModelSource == ModelSourceKind.Blob
            ? ActivatorUtilities.CreateInstance<BlobModelSource>(sp)
            : ActivatorUtilities.CreateInstance<LocalFolderModelSource>(sp));
        services.AddSingleton<ISegmenterLoader, OnnxSegmenterLoader>();
        services.AddSingleton<ModelWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelWatcher>());
        services.AddSingleton<DynamicBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DynamicBatcher>());

        services.AddServerHealthChecks();
        ServerTelemetryExporters.AddPrometheus(services);
        ServerTelemetryExporters.Add(services);

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<InferenceServerOptions>>((jwt, o) =>
            {
                jwt.Authority = o.Value.EntraAuthority;
                jwt.Audience = o.Value.EntraAudience;
                jwt.MapInboundClaims = false;

                // Why a token failed is logged, never told to the caller (no error_description in WWW-Authenticate).
                jwt.IncludeErrorDetails = false;
                jwt.Events = EntraAuthorization.Events;
            });
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>()
            .Configure<IOptions<InferenceServerOptions>>((authz, o) => authz.DefaultPolicy = o.Value.AuthMode == AuthMode.EntraId
                ? EntraAuthorization.Policy(o.Value.EntraRequiredRoles, o.Value.EntraRequiredScopes)
                : new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());

        configure?.Invoke(builder);

        var app = builder.Build();
        var slot = app.Services.GetRequiredService<ModelSlot>();

        // X-Model-Version on every answer, errors, 401s and 5xx included, so a caller always knows what served it.
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

        // A failure nobody handled is still a problem+json 500 (carrying X-Model-Version), not an empty 500.
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InferenceServerApp));
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                LogUnhandled(log, ex, context.Request.Path);
                context.Response.Clear();
                await Problems.Write(context, StatusCodes.Status500InternalServerError, ServerErrors.InternalError, "The server failed to answer this request; the failure is logged.").ConfigureAwait(false);
            }
        });

        app.UseAuthentication();
        app.UseAuthorization();

        app.MapServerHealthChecks();
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
        app.MapPrometheusScrapingEndpoint(InferenceProtocol.MetricsPath).RequireAuthorization();
        app.MapPost(InferenceProtocol.SegmentPath, SegmentEndpoint.HandleAsync).RequireAuthorization();

        return app;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Path} failed")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string path);
}
