using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.ServiceDefaults.Health;
using Playbooks.ServiceDefaults.Hosting;
using StackExchange.Redis;

namespace Playbooks.Messaging.Redis;

public static class RedisBusExtensions
{
    public const string ConnectionName = "Redis";

    /// <summary>Connects at start-up (failing fast with what to fix) and registers the Redis Streams bus.</summary>
    public static WebApplicationBuilder AddRedisEventBus(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new StartupFailure("Distributed mode needs Redis: set ConnectionStrings__Redis (e.g. 127.0.0.1:6379).");
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5000);

        ConnectionMultiplexer redis;
        try
        {
            redis = ConnectionMultiplexer.Connect(options);
        }
        catch (RedisConnectionException error)
        {
            throw new StartupFailure($"Cannot reach Redis at {connectionString}: {error.Message}. Start Redis or set ConnectionStrings__Redis to a reachable server.", error);
        }

        builder.Services.AddSingleton<IConnectionMultiplexer>(redis);
        var keep = builder.Configuration.GetValue("Playbooks:Bus:KeepAcknowledged", TimeSpan.FromMinutes(10));
        builder.Services.AddSingleton(new RedisBusOptions(options, keep));
        builder.Services.AddHostedService<StreamUpkeep>();
        builder.Services.AddSingleton<IEventBus, RedisStreamsEventBus>();
        builder.Services.AddSingleton<Cluster.IClusterBroadcast, Cluster.RedisClusterBroadcast>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DeadLetters.IDeadLetters, RedisDeadLetters>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}

/// <summary>
/// How to open the bus's own blocking connections (each consumer reads on one so it never stalls the shared one), and how
/// long the stream keeps an entry every group has acknowledged (<c>Playbooks__Bus__KeepAcknowledged</c>, default 10 minutes).
/// </summary>
public sealed record RedisBusOptions(ConfigurationOptions Connection, TimeSpan KeepAcknowledged)
{
    /// <summary>How long an entry may sit unacknowledged with a silent consumer before another takes it over.</summary>
    public TimeSpan ReclaimAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a consumer with nothing pending may stay silent before the stream's upkeep deletes it (a replica that is gone).</summary>
    public TimeSpan ForgetIdleConsumersAfter { get; init; } = TimeSpan.FromHours(1);
}
