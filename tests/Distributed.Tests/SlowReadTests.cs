using System.Collections.Concurrent;
using System.Text.Json;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Messaging;
using Playbooks.Messaging.Redis;
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
    private ScratchRedis _redis = null!;

    public async Task InitializeAsync() => _redis = await ScratchRedis.StartAsync("slow-read");

    [Fact]
    public async Task An_event_handled_for_longer_than_the_reclaim_time_is_handled_once()
    {
        var handled = new ConcurrentDictionary<string, int>();
        async Task Handle(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            handled.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
            if (envelope.Type == "test.slow") await Task.Delay(ReclaimAfter * 2.5, cancellationToken);
        }

        var first = await _redis.BusAsync(ReclaimAfter);
        var second = await _redis.BusAsync(ReclaimAfter);
        using var a = first.Subscribe("slow-test", ["test.slow"], Handle);
        using var b = second.Subscribe("slow-test", ["test.slow"], Handle);
        await Task.Delay(1500); // both replicas reading

        await first.PublishAsync([new EventEnvelope("slow-1", "test.slow", "test", DateTimeOffset.UtcNow, "acct-1",
            JsonDocument.Parse("{}").RootElement, null)], CancellationToken.None);

        // Past 2.5 × the reclaim time: handled by one replica, once, and acknowledged.
        var database = (await _redis.ConnectAsync()).GetDatabase();
        async Task<long> PendingAsync() => (long)((RedisResult[])(await database.ExecuteAsync("XPENDING", RedisStreamsEventBus.Stream, "slow-test"))!)[0];
        // Handled first, then pending: an entry is pending from its read, before its handler starts, so a pending count
        // taken just before the read, with the handler seen started just after, looked like an entry already done.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until && (handled.IsEmpty || await PendingAsync() > 0)) await Task.Delay(200);
        Assert.Equal(1, handled.GetValueOrDefault("slow-1"));
        Assert.Equal(0, await PendingAsync());
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();
}
