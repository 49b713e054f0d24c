using Dapper;
using Playbooks.Engine.Storage;
using Playbooks.Engine.Triggers;
using Playbooks.Storage;
using Playbooks.Distributed.Tests.Support;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Replicas claiming account events on real PostgreSQL: each claim takes the earliest accounts' events, and never an
/// event of an account whose earlier event another claim still holds, so one account's events are handled in order.
/// </summary>
public sealed class AccountEventClaimTests : IAsyncLifetime
{
    private ScratchDatabase _scratch = null!;

    private ServiceDatabase Database => _scratch.Database;

    public async Task InitializeAsync() => _scratch = await ScratchDatabase.StartAsync("engine", EngineMigrations.All);

    [Fact]
    public async Task A_claim_skips_accounts_whose_earlier_events_another_claim_holds()
    {
        var log = new AccountEventLog(Database, TimeProvider.System);
        var leaseUntil = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds();
        await ReceiveAsync(("a1", "acct-a"), ("b1", "acct-b"), ("a2", "acct-a"), ("n1", null), ("b2", "acct-b"));

        // The first replica works on one account at a time: it takes the earliest account's events, both of them.
        Assert.Equal(["a1", "a2"], Ids((await log.UnprocessedAsync(200, 1, leaseUntil, CancellationToken.None)).Events));
        // The second takes every other account's, and the event that names no account.
        Assert.Equal(["b1", "n1", "b2"], Ids((await log.UnprocessedAsync(200, 16, leaseUntil, CancellationToken.None)).Events));

        // A later event of an account whose events are still being handled waits for them, on any replica.
        await ReceiveAsync(("a3", "acct-a"), ("c1", "acct-c"));
        Assert.Equal(["c1"], Ids((await log.UnprocessedAsync(200, 16, leaseUntil, CancellationToken.None)).Events));

        // Once they are handled, it is next.
        await using (var connection = await Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE account_events SET processed_at = 1 WHERE id IN ('a1', 'a2')");
        Assert.Equal(["a3"], Ids((await log.UnprocessedAsync(200, 16, leaseUntil, CancellationToken.None)).Events));
    }

    [Fact]
    public async Task An_accounts_event_that_commits_below_where_claims_start_reading_still_goes_before_its_later_ones()
    {
        var log = new AccountEventLog(Database, TimeProvider.System);
        var leaseUntil = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds();
        // A large request for several accounts is still inserting: its first event for acct-x has its number, uncommitted.
        await using var importing = await Database.OpenAsync();
        await using var import = await importing.BeginTransactionAsync();
        await importing.ExecuteAsync("INSERT INTO account_events (id, type, account_id, occurred_at, data, received_at) VALUES ('x1', 'usage.dropped', 'acct-x', 0, '{}', 0)",
            transaction: import);
        // Meanwhile 150 events come and are handled, and one waits: claims start reading 100 below it, above x1.
        await ReceiveAsync([.. Enumerable.Range(0, 150).Select(i => ($"o{i}", (string?)$"acct-o{i}"))]);
        await using (var connection = await Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE account_events SET processed_at = 1 WHERE id LIKE 'o%'");
        await ReceiveAsync(("y1", "acct-y"));
        Assert.Equal(["y1"], Ids((await log.UnprocessedAsync(200, 16, leaseUntil, CancellationToken.None)).Events));
        // The request ends with acct-x's later event and commits.
        await importing.ExecuteAsync("INSERT INTO account_events (id, type, account_id, occurred_at, data, received_at) VALUES ('x2', 'usage.dropped', 'acct-x', 0, '{}', 0)",
            transaction: import);
        await import.CommitAsync();

        // x2 must not go ahead of x1, which lies below where this claim reads.
        Assert.DoesNotContain("x2", Ids((await log.UnprocessedAsync(200, 16, leaseUntil, CancellationToken.None)).Events));
        // Once claims read from the oldest unprocessed event again (every 2 s), both go, in order.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(["x1", "x2"], Ids((await log.UnprocessedAsync(200, 16, leaseUntil, CancellationToken.None)).Events));
    }

    public async Task DisposeAsync() => await _scratch.DisposeAsync();

    private async Task ReceiveAsync(params (string Id, string? AccountId)[] events)
    {
        await using var connection = await Database.OpenAsync();
        foreach (var (id, accountId) in events)
            await connection.ExecuteAsync(
                "INSERT INTO account_events (id, type, account_id, occurred_at, data, received_at) VALUES (@id, 'usage.dropped', @accountId, 0, '{}', 0)",
                new { id, accountId });
    }

    private static List<string> Ids(IReadOnlyList<AccountEventLog.Stored> claimed) => [.. claimed.Select(e => e.Id)];
}
