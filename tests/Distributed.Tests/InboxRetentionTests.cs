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
        // More old entries than one deletion takes, handled 8 days ago (one written with a local offset, as a clock could).
        var old = Enumerable.Range(0, 12_000).Select(i => $"old-{i}").ToList();
        await AcceptAsync(database, old, Now.AddDays(-8));
        await AcceptAsync(database, ["old-local"], Now.AddDays(-8).ToOffset(TimeSpan.FromHours(5)));
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
    public async Task A_dead_letter_older_than_the_inboxes_remember_stays_unless_replayed_by_force()
    {
        var redis = new RedisServer(_folder);
        await redis.StartAsync();
        try
        {
            using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            var database = connection.GetDatabase();
            var body = """{"id":"evt-1","type":"task.requested","source":"engine","occurredAt":"2026-11-23T12:00:00+00:00","data":{}}""";
            await database.ExecuteAsync("XADD", RedisStreamsEventBus.DeadLetterStream, "*", "group", "tasks", "entry", "0-1", "error", "the store was down", "body", body);
            var retention = new InboxRetention(TimeSpan.FromDays(7));

            // Eight days on: the tasks inbox may have forgotten a copy it handled, so the letter stays.
            var later = new ManualTimeProvider(DateTimeOffset.UtcNow.AddDays(8));
            var letters = new RedisDeadLetters(connection, retention, later);
            var refused = await letters.ReplayAsync("tasks", null, 100, force: false, CancellationToken.None);
            Assert.Equal((0, 1), (refused.Replayed, refused.TooOld));
            Assert.Single(await letters.ListAsync(100, CancellationToken.None));
            Assert.Equal(0, (long)await database.ExecuteAsync("XLEN", RedisStreamsEventBus.Stream));

            // Within the retention it goes back for that group alone; forced, an old one does too.
            var soon = await new RedisDeadLetters(connection, retention, TimeProvider.System).ReplayAsync("tasks", "evt-1", 100, force: false, CancellationToken.None);
            Assert.Equal((1, 0), (soon.Replayed, soon.TooOld));
            await database.ExecuteAsync("XADD", RedisStreamsEventBus.DeadLetterStream, "*", "group", "metrics", "entry", "0-2", "error", "disk full", "body", body);
            var forced = await letters.ReplayAsync(null, null, 100, force: true, CancellationToken.None);
            Assert.Equal((1, 0), (forced.Replayed, forced.TooOld));
            Assert.Empty(await letters.ListAsync(100, CancellationToken.None));
            var replayed = (RedisResult[])(await database.ExecuteAsync("XRANGE", RedisStreamsEventBus.Stream, "-", "+"))!;
            Assert.Equal(new[] { "tasks", "metrics" }, replayed.Select(entry => OnlyFor((RedisResult[])((RedisResult[])entry!)[1]!)));
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    // The pruner waits on the clock's timer between passes; moving the clock before it waits would skip a pass.
    private static Task WaitingAsync(ManualTimeProvider clock) =>
        SuiteFixture.EventuallyAsync(() => Task.FromResult(clock.PendingTimers), n => n == 1, TimeSpan.FromSeconds(10));

    private static string OnlyFor(RedisResult[] fields)
    {
        for (var i = 0; i + 1 < fields.Length; i += 2)
            if ((string)fields[i]! == "only") return (string)fields[i + 1]!;
        return "";
    }

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
