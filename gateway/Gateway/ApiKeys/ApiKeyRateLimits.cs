using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.ServiceDefaults.Security;

namespace Playbooks.Gateway.ApiKeys;

/// <summary>
/// Each API key gets its own token bucket, so one runaway integration cannot starve the others or the people using
/// the UI. Limits are per gateway replica. Signed-in people are not limited here.
/// </summary>
internal static class ApiKeyRateLimits
{
    public static IServiceCollection AddApiKeyRateLimits(this IServiceCollection services, AuthOptions auth) =>
        services.AddRateLimiter(options =>
        {
            var perSecond = Math.Max(1, auth.ApiKeyRequestsPerSecond);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                ApiKeyAuthentication.KeyIdOf(context.User) is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = perSecond * 2,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("signed-in people"));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = "1";
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests for this API key",
                        Detail = string.Create(CultureInfo.InvariantCulture,
                            $"This key may make {perSecond} requests a second (bursts of {perSecond * 2}). Wait a second and retry, or send events in batches (up to 1,000 per request)."),
                    },
                });
            };
        });
}
