using System.Collections.Concurrent;
using System.Text.Json;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Messaging;
using Playbooks.Messaging.Redis;
using Playbooks.TestSupport;
using StackExchange.Redis;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A service's reader on real Redis keeps reading through what it cannot control: a Redis out of reach as the service
/// starts, and an entry on the stream that some other tool wrote and that is not an event.
/// </summary>
public sealed class StreamConsumerFaultTests : IAsyncLifetime
{
    private ScratchRedis _redis = null!;

    public async Task InitializeAsync() => _redis = await ScratchRedis.StartAsync("consumer-faults");

    [Fact]
    public async Task A_service_that_subscribes_while_Redis_is_out_of_reach_reads_its_events_once_Redis_is_back()
    {
        var bus = await _redis.BusAsync();
        var handled = new ConcurrentQueue<string>();
        await _redis.StopAsync();
        using var subscription = bus.Subscribe("late-start", ["test.happened"], Recording(handled));
        // Longer than a connection attempt (5 s): the reader's first one fails.
        await Task.Delay(TimeSpan.FromSeconds(7));
        await _redis.StartAgainAsync();

        await SuiteFixture.EventuallyAsync(async () =>
        {
            try { await bus.PublishAsync([Event("after-outage")], CancellationToken.None); return true; }
            catch (BusUnavailableException) { return false; }
        }, published => published, TimeSpan.FromSeconds(30));

        await SuiteFixture.EventuallyAsync(() => Task.FromResult(handled.ToList()), ids => ids.Contains("after-outage"), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_entry_that_is_not_an_event_is_dead_lettered_and_the_events_read_with_it_are_handled()
    {
        var bus = await _redis.BusAsync();
        var stream = (await _redis.ConnectAsync()).GetDatabase();
        // Before the group reads: the stray entry and the events around it come in one read.
        await bus.PublishAsync([Event("before-stray")], CancellationToken.None);
        await stream.ExecuteAsync("XADD", RedisStreamsEventBus.Stream, "*", "ping", "1");
        await bus.PublishAsync([Event("after-stray")], CancellationToken.None);
        var handled = new ConcurrentQueue<string>();

        using var subscription = bus.Subscribe("stray-entry", ["test.happened"], Recording(handled));

        // At once, not at the next reclaim of a failed read (30 s).
        await SuiteFixture.EventuallyAsync(() => Task.FromResult(handled.ToList()), ids => ids.Count == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(["before-stray", "after-stray"], handled);
        var letter = Assert.Single(await ScratchRedis.EntriesAsync(stream, RedisStreamsEventBus.DeadLetterStream));
        Assert.Equal("stray-entry", letter["group"]);
        Assert.Contains("Not an event", letter["error"]);
        Assert.Contains("ping", letter["body"]);
        // Nothing is left pending, so the stream can be trimmed.
        var pending = (RedisResult[])(await stream.ExecuteAsync("XPENDING", RedisStreamsEventBus.Stream, "stray-entry"))!;
        Assert.Equal(0, (long)pending[0]);
    }

    [Fact]
    public async Task An_entry_that_failed_for_a_moment_and_was_then_handled_leaves_no_count_of_attempts_behind()
    {
        var bus = await _redis.BusAsync(reclaimAfter: TimeSpan.FromSeconds(1.5));
        var stream = (await _redis.ConnectAsync()).GetDatabase();
        var handled = new ConcurrentQueue<string>();
        var failures = 0;
        using var subscription = bus.Subscribe("flaky-store", ["test.happened"], (envelope, _) =>
        {
            // The store is down for the first two attempts.
            if (Interlocked.Increment(ref failures) <= 2) throw new InvalidOperationException("the store is down");
            handled.Enqueue(envelope.Id);
            return Task.CompletedTask;
        });

        await bus.PublishAsync([Event("flaky")], CancellationToken.None);

        await SuiteFixture.EventuallyAsync(() => Task.FromResult(handled.ToList()), ids => ids.Contains("flaky"), TimeSpan.FromSeconds(20));
        var attempts = $"{RedisStreamsEventBus.Stream}:attempts:flaky-store";
        await SuiteFixture.EventuallyAsync(async () => await stream.HashLengthAsync(attempts), n => n == 0, TimeSpan.FromSeconds(5));
        Assert.Empty(await ScratchRedis.EntriesAsync(stream, RedisStreamsEventBus.DeadLetterStream));
    }

    private static Playbooks.Messaging.EventHandler Recording(ConcurrentQueue<string> handled) => (envelope, _) =>
    {
        handled.Enqueue(envelope.Id);
        return Task.CompletedTask;
    };

    private static EventEnvelope Event(string id) =>
        new(id, "test.happened", "consumer-fault-tests", DateTimeOffset.UtcNow, "acct-1", JsonDocument.Parse("{}").RootElement, null);

    public async Task DisposeAsync() => await _redis.DisposeAsync();
}
