using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Playbooks.Messaging.Redis;

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception error)
        {
            return HealthCheckResult.Unhealthy($"Redis: {error.Message}", error);
        }
    }
}
