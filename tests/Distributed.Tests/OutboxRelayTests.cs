using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Playbooks.Messaging;
using Playbooks.Messaging.Outbox;
using Playbooks.Storage;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Messaging.Redis;
using Playbooks.TestSupport;
using StackExchange.Redis;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// The outbox relay on real PostgreSQL publishes the events a commit hands it without reading them back, and deletes
/// their rows; what was committed but never handed over (a replica that died) or not published (a bus that refused)
/// still leaves, once. A row that cannot be read as an event must not hold the others back.
/// </summary>
public sealed class OutboxRelayTests : IAsyncLifetime
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMilliseconds(500);
    private ScratchDatabase _scratch = null!;

    private ServiceDatabase Database => _scratch.Database;

    public async Task InitializeAsync() => _scratch = await ScratchDatabase.StartAsync("relay", [MessagingTables.Migration(1)]);

    [Fact]
    public async Task Handed_over_events_are_published_once_and_their_rows_deleted_also_one_committed_after_a_thousand_later_ones()
    {
        var bus = new RecordingBus();
        await WhileRelayingAsync(bus, async outbox =>
        {
            // The late row takes its place in the queue first, and its transaction stays open.
            await using var late = (NpgsqlConnection)await Database.OpenAsync();
            await using var lateTransaction = await late.BeginTransactionAsync();
            await Outbox.AddAsync(late, lateTransaction, [Event("late")]);

            var later = Enumerable.Range(0, 1_500).Select(i => Event($"later-{i}")).ToList();
            await CommitAsync(later, outbox);
            await bus.WaitForAsync([.. later.Select(e => e.Id)], TimeSpan.FromSeconds(30));

            await lateTransaction.CommitAsync();
            outbox.Committed([Event("late")]);
            await bus.WaitForAsync(["late"], TimeSpan.FromSeconds(30));

            // Several sweeps later, nothing was published twice and no row is left.
            await Task.Delay(SweepEvery * 4);
            Assert.Equal(later.Select(e => e.Id).Append("late"), bus.Published);
            Assert.Equal(0, await RowsLeftAsync());
        });
    }

    [Fact]
    public async Task Events_a_dead_replica_committed_but_never_handed_over_are_published_by_a_running_relay_once()
    {
        var bus = new RecordingBus();
        await WhileRelayingAsync(bus, async outbox =>
        {
            var handedOver = Enumerable.Range(0, 50).Select(i => Event($"alive-{i}")).ToList();
            var orphaned = Enumerable.Range(0, 300).Select(i => Event($"orphan-{i}")).ToList();
            // The relay is past its start-up sweep once it has published what it was handed.
            await CommitAsync(handedOver, outbox);
            await bus.WaitForAsync([.. handedOver.Select(e => e.Id)], TimeSpan.FromSeconds(30));
            await CommitAsync(orphaned, handedTo: null);

            await bus.WaitForAsync([.. orphaned.Select(e => e.Id)], SweepEvery * 10);
            await Task.Delay(SweepEvery * 2);
            Assert.Equal(orphaned.Select(e => e.Id), bus.Published.Where(id => id.StartsWith("orphan-", StringComparison.Ordinal)));
            Assert.Equal(handedOver.Count + orphaned.Count, bus.Published.Distinct().Count());
            Assert.Equal(handedOver.Count + orphaned.Count, bus.Published.Count);
            Assert.Equal(0, await RowsLeftAsync());
        });
    }

    [Fact]
    public async Task Events_the_bus_refused_stay_in_the_table_and_leave_in_order_once_it_takes_them_again()
    {
        var bus = new RecordingBus { Refusals = 3 };
        await WhileRelayingAsync(bus, async outbox =>
        {
            var first = Enumerable.Range(0, 20).Select(i => Event($"first-{i}")).ToList();
            var second = Enumerable.Range(0, 20).Select(i => Event($"second-{i}")).ToList();
            await CommitAsync(first, outbox);
            await CommitAsync(second, outbox);

            await bus.WaitForAsync([.. first.Concat(second).Select(e => e.Id)], TimeSpan.FromSeconds(30));
            Assert.Equal(0, bus.Refusals);
            Assert.Equal(first.Concat(second).Select(e => e.Id), bus.Published);
            Assert.Equal(0, await RowsLeftAsync());
        });
    }

    [Fact]
    public async Task Events_committed_while_Redis_is_down_for_longer_than_the_relay_tries_a_row_leave_once_it_is_back_and_none_is_set_aside()
    {
        await using var redis = await ScratchRedis.StartAsync("relay-outage");
        var bus = await redis.BusAsync();
        await WhileRelayingAsync(bus, async outbox =>
        {
            var before = Enumerable.Range(0, 20).Select(i => Event($"before-{i}")).ToList();
            var during = Enumerable.Range(0, 20).Select(i => Event($"during-{i}")).ToList();
            await CommitAsync(before, outbox);
            await redis.StopAsync();
            await CommitAsync(during, outbox);
            // Past the eight backed-off attempts after which a row the bus refuses is set aside (about 16 s).
            await Task.Delay(TimeSpan.FromSeconds(25));
            Assert.Equal(0, await CountAsync("dead_at IS NOT NULL"));
            await redis.StartAgainAsync();
            var stream = (await redis.ConnectAsync()).GetDatabase();

            // The backoff is 5 s at most: the rows leave within a few of its periods.
            var published = await SuiteFixture.EventuallyAsync(() => EntryIdsAsync(stream), ids => during.All(e => ids.Contains(e.Id)),
                TimeSpan.FromSeconds(30));
            Assert.Equal(before.Concat(during).Select(e => e.Id), published.Distinct());
            Assert.Equal(0, await RowsLeftAsync());
        });
    }

    private async Task<long> CountAsync(string condition)
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM outbox WHERE {condition}");
    }

    /// <summary>The event ids on the stream, oldest first.</summary>
    private static async Task<List<string>> EntryIdsAsync(IDatabase stream) =>
        [.. (await ScratchRedis.EntriesAsync(stream, RedisStreamsEventBus.Stream)).Select(fields => fields["id"])];

    /// <summary>Runs <paramref name="work"/> while a relay (sweeping every <see cref="SweepEvery"/>) publishes to <paramref name="bus"/>.</summary>
    private async Task WhileRelayingAsync(IEventBus bus, Func<Outbox, Task> work)
    {
        var outbox = new Outbox();
        var relay = new OutboxRelay(Database, bus, outbox, NullLogger<OutboxRelay>.Instance, SweepEvery);
        await relay.StartAsync(CancellationToken.None);
        try
        {
            await work(outbox);
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }

    private async Task CommitAsync(IReadOnlyList<EventEnvelope> events, Outbox? handedTo)
    {
        await using (var connection = (NpgsqlConnection)await Database.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await Outbox.AddAsync(connection, transaction, events);
            await transaction.CommitAsync();
        }
        handedTo?.Committed(events);
    }

    private async Task<long> RowsLeftAsync()
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox");
    }

    [Fact]
    public Task A_row_that_is_not_an_event_is_set_aside_at_once_and_the_events_around_it_are_published() => SetsAsideUnreadableRowAsync(Database);

    [Fact]
    public async Task On_SQLite_too_a_row_that_is_not_an_event_is_set_aside_and_the_rest_published()
    {
        var folder = Path.Combine(Path.GetTempPath(), "playbooks-relay-sqlite", Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var database = ServiceDatabase.Sqlite(folder, "relay");
            await MigrationRunner.ApplyAsync(database, [MessagingTables.Migration(1)], CancellationToken.None);
            await SetsAsideUnreadableRowAsync(database);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task SetsAsideUnreadableRowAsync(ServiceDatabase database)
    {
        var bus = new RecordingBus();
        var relay = new OutboxRelay(database, bus, new Outbox(), NullLogger<OutboxRelay>.Instance);
        var sound = Enumerable.Range(0, 10).Select(i => $"sound-{i}").ToList();
        await using (var connection = await database.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await Outbox.AddAsync(connection, transaction, [Event(sound[0])]);
            // Written by hand: its time is no time.
            await connection.ExecuteAsync("INSERT INTO outbox (id, type, source, occurred_at, data) VALUES ('by-hand', 'relay.tested', 'psql', 'now', '{}')",
                transaction: transaction);
            await Outbox.AddAsync(connection, transaction, sound.Skip(1).Select(Event));
            await transaction.CommitAsync();
        }
        await relay.StartAsync(CancellationToken.None);
        try
        {
            // Within one pass: failing the batch would retry it with backoff for about 20 s, blaming sound-0 at its head.
            await bus.WaitForAsync(sound, TimeSpan.FromSeconds(5));
            Assert.Equal(sound, bus.Published);
            // The relay sets the unreadable row aside and deletes what it published just after publishing it.
            await using var check = await database.OpenAsync();
            for (var waited = 0; waited < 50 && await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE dead_at IS NULL") > 0; waited++)
                await Task.Delay(100);
            var setAside = await check.QuerySingleAsync<(string Id, string? DeadAt, string LastError)>("SELECT id, dead_at, last_error FROM outbox");
            Assert.Equal("by-hand", setAside.Id);
            Assert.NotNull(setAside.DeadAt);
            Assert.Contains("'now'", setAside.LastError);
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _scratch.DisposeAsync();

    private static EventEnvelope Event(string id) =>
        new(id, "relay.tested", "relay-tests", DateTimeOffset.UtcNow, "acct-1", System.Text.Json.JsonDocument.Parse("{}").RootElement, null);

    /// <summary>A bus that keeps the ids it was given, in order, after refusing the first <see cref="Refusals"/> publishes.</summary>
    private sealed class RecordingBus : IEventBus
    {
        public ConcurrentQueue<string> Published { get; } = new();

        public int Refusals { get; set; }

        public Task PublishAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
        {
            if (Refusals > 0)
            {
                Refusals--;
                throw new InvalidOperationException("The bus is down.");
            }
            foreach (var e in events) Published.Enqueue(e.Id);
            return Task.CompletedTask;
        }

        public IDisposable Subscribe(string consumerGroup, IReadOnlyCollection<string> eventTypes, Playbooks.Messaging.EventHandler handler, int accountsAtOnce, TimeSpan gatherFor) =>
            throw new NotSupportedException();

        public async Task WaitForAsync(IReadOnlyCollection<string> ids, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (ids.Except(Published).Count() is var missing && missing > 0)
            {
                if (DateTime.UtcNow > until) throw new TimeoutException($"{missing} of {ids.Count} events were not published within {timeout}.");
                await Task.Delay(50);
            }
        }
    }
}
