using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Playbooks.ServiceDefaults.Problems;

/// <summary>Every error that reaches a caller is an RFC 7807 problem details document.</summary>
internal static class ProblemDetailsDefaults
{
    public static IServiceCollection AddPlaybooksProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            var traceId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Extensions.TryAdd("traceId", traceId);
            if (context.ProblemDetails.Status == StatusCodes.Status404NotFound)
                context.ProblemDetails.Detail ??= $"No resource at '{context.HttpContext.Request.Path}'. Check the path and the HTTP method.";
            if (context.ProblemDetails.Status == StatusCodes.Status401Unauthorized)
                context.ProblemDetails.Detail ??= UnauthorizedDetail(context.HttpContext.Request);
            if (context.ProblemDetails.Status == StatusCodes.Status403Forbidden)
                context.ProblemDetails.Detail ??= $"Your role ({Security.Actor.From(context.HttpContext.User, context.HttpContext.RequestServices.GetRequiredService<Security.AuthOptions>()).Role}) may not do this.";
        });
        services.AddExceptionHandler<RequestExceptionHandler>();
        // Bad JSON and oversized bodies throw, so the handler can say what was wrong instead of a bare 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => options.SerializerOptions.UnmappedMemberHandling =
            System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow);
        return services;
    }

    // Says which credential was refused, never echoing it.
    private static string UnauthorizedDetail(HttpRequest request) =>
        request.Headers.ContainsKey("X-Api-Key") ? "The API key in X-Api-Key is unknown or revoked (keys work through the gateway only). Ask an admin for a new one."
        : request.Headers.Authorization.Count > 0 ? "The bearer token was refused: it expired, or no trusted issuer signed it for Playbooks. Sign in again."
        : "Sign in first: send 'Authorization: Bearer <token>' (people) or 'X-Api-Key: <key>' through the gateway (machines).";

    public static void UsePlaybooksProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Turns empty error responses (unknown route, 405, YARP's 502/503) into problem details.
        app.UseStatusCodePages();
    }
}
