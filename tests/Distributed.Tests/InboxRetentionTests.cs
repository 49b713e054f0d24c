using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Messaging;
using Playbooks.Messaging.Inbox;
using Playbooks.Messaging.Redis;
using Playbooks.Storage;
using Playbooks.TestSupport;
using Playbooks.TestSupport.Distributed;
using StackExchange.Redis;
using Xunit;
using MessagingInbox = Playbooks.Messaging.Inbox.Inbox;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// The inbox forgets handled events once they are older than the retention, on both providers, and still drops a
/// redelivery of anything younger; a dead letter older than the inboxes remember is not replayed unless forced.
/// </summary>
public sealed class InboxRetentionTests : IAsyncLifetime
{
    private static readonly IReadOnlyList<Migration> Migrations = [MessagingTables.Migration(1), MessagingTables.InboxByAge(2)];
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "playbooks-inbox-retention", Guid.NewGuid().ToString("N")[..12]);
    private ScratchDatabase? _postgres;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Entries_older_than_the_retention_are_forgotten_and_younger_ones_still_drop_a_redelivery(DatabaseProvider provider)
    {
        var database = await DatabaseAsync(provider);
        // More old entries than one deletion takes, handled 8 days ago; one handled an hour before the cutoff by a clock
        // with a local offset, whose local time reads after the cutoff.
        var old = Enumerable.Range(0, 12_000).Select(i => $"old-{i}").ToList();
        await AcceptAsync(database, old, Now.AddDays(-8));
        await AcceptAsync(database, ["old-local"], Now.AddDays(-7).AddHours(-1).ToOffset(TimeSpan.FromHours(5)));
        await AcceptAsync(database, ["recent"], Now.AddDays(-6));

        var forgotten = await InboxPruner.PruneAsync(database, Now.AddDays(-7), CancellationToken.None);

        Assert.Equal(12_001, forgotten);
        Assert.Equal(1, await CountAsync(database));
        Assert.Empty(await AcceptAsync(database, ["recent"], Now)); // a redelivery: no second effect
        Assert.Equal(new[] { "old-1" }, await AcceptAsync(database, ["old-1"], Now)); // forgotten: seen as new
    }

    [Fact]
    public async Task Each_replica_prunes_a_minute_after_it_starts_and_then_every_hour()
    {
        var database = await DatabaseAsync(DatabaseProvider.Sqlite);
        var clock = new ManualTimeProvider(Now);
        var retention = new InboxRetention(TimeSpan.FromDays(7));
        using var pruner = new InboxPruner(database, retention, clock, NullLogger<InboxPruner>.Instance);
        await AcceptAsync(database, ["a-week-and-a-day"], Now.AddDays(-8));
        await AcceptAsync(database, ["six-days-and-23-hours"], Now.AddDays(-7).AddHours(1));
        await AcceptAsync(database, ["today"], Now);
        await pruner.StartAsync(CancellationToken.None);

        await WaitingAsync(clock);
        Assert.Equal(3, await CountAsync(database));
        clock.Advance(TimeSpan.FromMinutes(1));
        await SuiteFixture.EventuallyAsync(() => CountAsync(database), n => n == 2, TimeSpan.FromSeconds(10));
        await WaitingAsync(clock);
        clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(200);
        Assert.Equal(2, await CountAsync(database));
        clock.Advance(TimeSpan.FromHours(1));
        await SuiteFixture.EventuallyAsync(() => CountAsync(database), n => n == 1, TimeSpan.FromSeconds(10));

        await pruner.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_dead_letter_whose_event_was_on_the_bus_longer_ago_than_the_inboxes_remember_stays_unless_replayed_by_force()
    {
        var redis = new RedisServer(_folder);
        await redis.StartAsync();
        try
        {
            using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            var database = connection.GetDatabase();
            var now = DateTimeOffset.UtcNow;
            Task DeadAsync(string id, string group, string eventId, DateTimeOffset onBus, DateTimeOffset? since = null) =>
                DeadLetterAsync(database, id, group, eventId, onBus, since);
            // Three that died nine days ago; one that died just now; one that died just now after a replay, first on the
            // bus nine days ago.
            for (var i = 0; i < 3; i++) await DeadAsync(EntryId(now.AddDays(-9), i), "tasks", $"old-{i}", now.AddDays(-9).AddSeconds(-1));
            await DeadAsync("*", "tasks", "fresh", now.AddSeconds(-1));
            await DeadAsync("*", "metrics", "died-again", now.AddSeconds(-1), since: now.AddDays(-9));
            var letters = new RedisDeadLetters(connection, new InboxRetention(TimeSpan.FromDays(7)), TimeProvider.System);

            // The old ones do not hold up the fresh one, even when fewer than them are asked for.
            var replayed = await letters.ReplayAsync(null, null, 2, force: false, CancellationToken.None);
            Assert.Equal((1, 3), (replayed.Replayed, replayed.TooOld));
            Assert.Equal(["old-0", "old-1", "old-2", "died-again"], (await letters.ListAsync(100, CancellationToken.None)).Select(l => l.EventId));

            // Forced, they go too, each for its own group and carrying when its event was first on the bus.
            var forced = await letters.ReplayAsync(null, null, 100, force: true, CancellationToken.None);
            Assert.Equal((4, 0), (forced.Replayed, forced.TooOld));
            Assert.Empty(await letters.ListAsync(100, CancellationToken.None));
            var entries = await ScratchRedis.EntriesAsync(database, RedisStreamsEventBus.Stream);
            Assert.Equal(["tasks", "tasks", "tasks", "tasks", "metrics"], entries.Select(e => e["only"]));
            Assert.Equal(now.AddDays(-9).ToUnixTimeMilliseconds().ToString(), entries[^1]["since"]);
            Assert.Equal(now.AddSeconds(-1).ToUnixTimeMilliseconds().ToString(), entries[0]["since"]);
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_replay_for_one_group_reaches_its_letter_behind_more_of_other_groups_letters_than_it_may_replay()
    {
        await using var redis = await ScratchRedis.StartAsync("dead-letter-pages");
        var connection = await redis.ConnectAsync();
        // A metrics outage left its letters first; the tasks service's one died after them.
        for (var i = 0; i < 5; i++) await DeadLetterAsync(connection.GetDatabase(), "*", "metrics", $"fold-{i}", DateTimeOffset.UtcNow);
        await DeadLetterAsync(connection.GetDatabase(), "*", "tasks", "the-task", DateTimeOffset.UtcNow);
        var letters = new RedisDeadLetters(connection, new InboxRetention(TimeSpan.FromDays(7)), TimeProvider.System);

        var byGroup = await letters.ReplayAsync("tasks", null, 2, force: false, CancellationToken.None);
        Assert.Equal((1, 0), (byGroup.Replayed, byGroup.TooOld));
        var byEvent = await letters.ReplayAsync(null, "fold-4", 1, force: false, CancellationToken.None);
        Assert.Equal(1, byEvent.Replayed);
        Assert.Equal(["fold-0", "fold-1", "fold-2", "fold-3"], (await letters.ListAsync(100, CancellationToken.None)).Select(l => l.EventId));
    }

    private static string EntryId(DateTimeOffset at, int sequence = 0) => $"{at.ToUnixTimeMilliseconds()}-{sequence}";

    /// <summary>A task request's dead letter, as a consumer writes it; <paramref name="id"/> "*" lets Redis number it now.</summary>
    private static Task DeadLetterAsync(IDatabase database, string id, string group, string eventId, DateTimeOffset onBus, DateTimeOffset? since = null) =>
        database.ExecuteAsync("XADD", [RedisStreamsEventBus.DeadLetterStream, id, "group", group, "entry", EntryId(onBus), "error", "the store was down",
            "body", new JsonObject { ["id"] = eventId, ["type"] = "task.requested", ["source"] = "engine", ["occurredAt"] = onBus, ["data"] = new JsonObject() }.ToJsonString(),
            .. since is { } first ? new object[] { "since", first.ToUnixTimeMilliseconds().ToString() } : []]);

    // The pruner waits on the clock's timer between passes; moving the clock before it waits would skip a pass.
    private static Task WaitingAsync(ManualTimeProvider clock) =>
        SuiteFixture.EventuallyAsync(() => Task.FromResult(clock.PendingTimers), n => n == 1, TimeSpan.FromSeconds(10));

    private async Task<ServiceDatabase> DatabaseAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres) return (_postgres = await ScratchDatabase.StartAsync("inbox", Migrations)).Database;
        var database = ServiceDatabase.Sqlite(_folder, $"inbox-{Guid.NewGuid():N}");
        await MigrationRunner.ApplyAsync(database, Migrations, CancellationToken.None);
        return database;
    }

    private static async Task<IReadOnlySet<string>> AcceptAsync(ServiceDatabase database, IReadOnlyList<string> ids, DateTimeOffset at)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var accepted = await MessagingInbox.AcceptManyAsync(connection, transaction, database.Provider, ids, at);
        await transaction.CommitAsync();
        return accepted;
    }

    private static async Task<long> CountAsync(ServiceDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbox");
    }
}
