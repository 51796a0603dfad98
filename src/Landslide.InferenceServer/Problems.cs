using Microsoft.AspNetCore.Mvc;
using Landslide.Core.Segmentation;

namespace Landslide.InferenceServer;

/// <summary>Problem-details (RFC 9457) answers carrying a stable <c>code</c> extension.</summary>
internal static class Problems
{
    public static IResult Result(int status, string code, string detail, int? retryAfterSeconds = null)
        => new ProblemResult(status, code, detail, retryAfterSeconds);

    public static Task Write(HttpContext context, int status, string code, string detail, int? retryAfterSeconds = null)
        => Result(status, code, detail, retryAfterSeconds).ExecuteAsync(context);

    private sealed class ProblemResult(int status, string code, string detail, int? retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (retryAfterSeconds is { } seconds)
            {
                httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var problem = new ProblemDetails
            {
                Status = status,
                Title = code,
                Detail = detail,
                Type = $"https://landslide.example/problems/{code}",
                Instance = httpContext.Request.Path,
            };
            problem.Extensions["code"] = code;
            return Results.Json(problem, contentType: InferenceProtocol.ProblemContentType, statusCode: status).ExecuteAsync(httpContext);
        }
    }
}
