using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Messaging;
using Playbooks.Messaging.Redis;
using Playbooks.TestSupport.Distributed;
using StackExchange.Redis;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Two replicas of a service on real Redis: an event whose handling outlasts the reclaim time is not taken over by the
/// idle replica while the first is still on it (which would handle it twice, out of order with that account's next).
/// </summary>
public sealed class SlowReadTests : IAsyncLifetime
{
    // Long enough that a replica slowed by the other test assemblies running beside it still refreshes its claim in time.
    private static readonly TimeSpan ReclaimAfter = TimeSpan.FromSeconds(5);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "playbooks-slow-read", Guid.NewGuid().ToString("N")[..12]);
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = new RedisServer(_folder);
        await _redis.StartAsync();
    }

    [Fact]
    public async Task An_event_handled_for_longer_than_the_reclaim_time_is_handled_once()
    {
        var handled = new ConcurrentDictionary<string, int>();
        async Task Handle(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            handled.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
            if (envelope.Type == "test.slow") await Task.Delay(ReclaimAfter * 2.5, cancellationToken);
        }

        using var first = await ReplicaAsync();
        using var second = await ReplicaAsync();
        using var a = first.Bus.Subscribe("slow-test", ["test.slow"], Handle);
        using var b = second.Bus.Subscribe("slow-test", ["test.slow"], Handle);
        await Task.Delay(1500); // both replicas reading

        await first.Bus.PublishAsync([new EventEnvelope("slow-1", "test.slow", "test", DateTimeOffset.UtcNow, "acct-1",
            JsonDocument.Parse("{}").RootElement, null)], CancellationToken.None);

        // Past 2.5 × the reclaim time: handled by one replica, once, and acknowledged.
        var database = first.Connection.GetDatabase();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until && (long)((RedisResult[])(await database.ExecuteAsync("XPENDING", RedisStreamsEventBus.Stream, "slow-test"))!)[0] + (handled.IsEmpty ? 1 : 0) > 0)
            await Task.Delay(200);
        Assert.Equal(1, handled.GetValueOrDefault("slow-1"));
        Assert.Equal(0, (long)((RedisResult[])(await database.ExecuteAsync("XPENDING", RedisStreamsEventBus.Stream, "slow-test"))!)[0]);
    }

    private async Task<Replica> ReplicaAsync()
    {
        var options = ConfigurationOptions.Parse(_redis.ConnectionString);
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var bus = new RedisStreamsEventBus(connection, new RedisBusOptions(options, TimeSpan.FromMinutes(10)) { ReclaimAfter = ReclaimAfter },
            NullLogger<RedisStreamsEventBus>.Instance);
        return new Replica(connection, bus);
    }

    private sealed record Replica(ConnectionMultiplexer Connection, RedisStreamsEventBus Bus) : IDisposable
    {
        public void Dispose() => Connection.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
