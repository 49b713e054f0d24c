using System.Collections.Concurrent;
using System.Text.Json;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Messaging;
using Playbooks.Messaging.Redis;
using StackExchange.Redis;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A consumer that lets events gather on real Redis (metrics, notifications): a trickle comes in a few reads instead of
/// one per event, every event still once, and a backlog is read without pausing.
/// </summary>
public sealed class GatheringTests : IAsyncLifetime
{
    private ScratchRedis _redis = null!;
    private ConnectionMultiplexer _connection = null!;
    private RedisStreamsEventBus _bus = null!;

    public async Task InitializeAsync()
    {
        _redis = await ScratchRedis.StartAsync("gathering");
        _connection = await _redis.ConnectAsync();
        _bus = await _redis.BusAsync();
    }

    [Fact]
    public async Task A_trickle_of_events_comes_in_a_few_reads_and_each_event_once()
    {
        var handled = new ConcurrentDictionary<string, int>();
        using var subscription = _bus.Subscribe("gather-test", ["test.tick"], Count(handled), gatherFor: TimeSpan.FromMilliseconds(400));
        await PublishAsync("first");
        await Until(() => handled.ContainsKey("first"));

        // Ten events a read apart would be ten reads; published while the consumer gathers, they wait for one.
        var readsBefore = await ReadsAsync();
        for (var i = 0; i < 10; i++)
        {
            await PublishAsync($"tick-{i}");
            await Task.Delay(30);
        }
        await Until(() => handled.Count == 11);
        var reads = await ReadsAsync() - readsBefore;

        Assert.InRange(reads, 1, 4);
        Assert.All(handled, entry => Assert.Equal(1, entry.Value));
    }

    [Fact]
    public async Task A_backlog_is_read_at_once_however_long_the_consumer_gathers()
    {
        var backlog = Enumerable.Range(0, 1_100).Select(i => $"backlog-{i}").ToList();
        await _bus.PublishAsync([.. backlog.Select(Event)], CancellationToken.None);
        var handled = new ConcurrentDictionary<string, int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Reads of 500 come back full twice: no pause after either, so all 1,100 long before one pause of 10 s ends.
        using var subscription = _bus.Subscribe("gather-test", ["test.tick"], Count(handled), accountsAtOnce: 100, gatherFor: TimeSpan.FromSeconds(10));
        await Until(() => handled.Count == backlog.Count);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"The backlog took {clock.Elapsed.TotalSeconds:N1} s");
        Assert.All(handled, entry => Assert.Equal(1, entry.Value));
    }

    private static Playbooks.Messaging.EventHandler Count(ConcurrentDictionary<string, int> handled) => (envelope, _) =>
    {
        handled.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    };

    private Task PublishAsync(string id) => _bus.PublishAsync([Event(id)], CancellationToken.None);

    private static EventEnvelope Event(string id) =>
        new(id, "test.tick", "test", DateTimeOffset.UtcNow, $"acct-{id}", JsonDocument.Parse("{}").RootElement, null);

    // XREADGROUP calls the server has answered, from its command statistics.
    private async Task<long> ReadsAsync()
    {
        var stats = (string)(await _connection.GetDatabase().ExecuteAsync("INFO", "commandstats"))!;
        var line = stats.Split('\n').First(l => l.StartsWith("cmdstat_xreadgroup:", StringComparison.Ordinal));
        return long.Parse(line.Split(':')[1].Split(',')[0]["calls=".Length..]);
    }

    private static async Task Until(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition() && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.True(condition(), "Timed out");
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();
}
