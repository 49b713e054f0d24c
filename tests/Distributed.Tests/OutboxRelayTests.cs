using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Playbooks.Messaging;
using Playbooks.Messaging.Outbox;
using Playbooks.Storage;
using Playbooks.Distributed.Tests.Support;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// The outbox relay on real PostgreSQL starts its scans just below the rows it last published, past the published
/// rows the database still keeps until VACUUM; a row whose transaction commits long after later rows were published
/// must still leave, once. A row that cannot be read as an event must not hold the others back.
/// </summary>
public sealed class OutboxRelayTests : IAsyncLifetime
{
    private ScratchDatabase _scratch = null!;

    private ServiceDatabase Database => _scratch.Database;

    public async Task InitializeAsync() => _scratch = await ScratchDatabase.StartAsync("relay", [MessagingTables.Migration(1)]);

    [Fact]
    public async Task A_row_committed_after_a_thousand_later_rows_were_published_is_published_once()
    {
        var bus = new RecordingBus();
        var doorbell = new Doorbell();
        var relay = new OutboxRelay(Database, bus, doorbell, NullLogger<OutboxRelay>.Instance);
        await relay.StartAsync(CancellationToken.None);
        try
        {
            // The late row takes its place in the queue first, and its transaction stays open.
            await using var late = (NpgsqlConnection)await Database.OpenAsync();
            await using var lateTransaction = await late.BeginTransactionAsync();
            await Outbox.AddAsync(late, lateTransaction, [Event("late")]);

            var later = Enumerable.Range(0, 1_500).Select(i => $"later-{i}").ToList();
            await using (var connection = (NpgsqlConnection)await Database.OpenAsync())
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await Outbox.AddAsync(connection, transaction, later.Select(Event));
                await transaction.CommitAsync();
            }
            doorbell.Raise();
            await bus.WaitForAsync(later, TimeSpan.FromSeconds(30));

            await lateTransaction.CommitAsync();
            doorbell.Raise();
            await bus.WaitForAsync(["late"], TimeSpan.FromSeconds(30));

            Assert.Equal(later.Count + 1, bus.Published.Count);
            Assert.Equal(later.Count + 1, bus.Published.Distinct().Count());
            await using var check = await Database.OpenAsync();
            Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox"));
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
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
        var relay = new OutboxRelay(database, bus, new Doorbell(), NullLogger<OutboxRelay>.Instance);
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
            await using var check = await database.OpenAsync();
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

    /// <summary>A bus that keeps the ids it was given, in order.</summary>
    private sealed class RecordingBus : IEventBus
    {
        public ConcurrentQueue<string> Published { get; } = new();

        public Task PublishAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
        {
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
