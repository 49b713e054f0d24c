using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Storage;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A replica whose lanes are stuck (a CRM that does not answer) keeps the events its lanes work on (their claims are
/// renewed), and lets the events waiting in its line go: their claims are not renewed, another replica takes them over
/// once they lapse, and each run calls the CRM once, also after the stuck lanes free up.
/// </summary>
public sealed class StuckLanesTests : IAsyncLifetime
{
    private const int Lanes = 16;
    private const int Waiting = 4;
    private const int LeaseSeconds = 6;

    private readonly TaskCompletionSource _answerBusy = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReplicasWithCrm _replicas = null!;

    // The CRM holds the busy accounts' calls until the test lets it answer, and answers the others at once.
    public async Task InitializeAsync() => _replicas = await ReplicasWithCrm.StartAsync("stuck-lanes", LeaseSeconds,
        account => account.StartsWith("busy-", StringComparison.Ordinal) ? _answerBusy.Task : Task.CompletedTask);

    [Fact]
    public async Task Events_that_waited_in_line_past_their_lease_are_handled_once_by_the_replica_that_took_them_over()
    {
        var (first, calls) = (_replicas.First, _replicas.Calls);
        await _replicas.PublishCrmSyncAsync(ReplicasWithCrm.OnUsageDrop);
        var busy = (await first.AccountsAsync("busy", Lanes)).Select(a => a.Id).ToArray();
        var waiting = (await first.AccountsAsync("waiting", Waiting)).Select(a => a.Id).ToArray();
        // Adding accounts logs their changes as account events: handled first, or the events below would find one waiting.
        await first.EventsHandledAsync(TimeSpan.FromSeconds(10));
        // Every lane of the first replica in the CRM, then events that can only wait in its line, claimed for it.
        foreach (var account in busy) await _replicas.SendUsageDropAsync(account);
        await SuiteFixture.EventuallyAsync(() => Task.FromResult(calls.Count), n => n == Lanes, TimeSpan.FromSeconds(10));
        foreach (var account in waiting) await _replicas.SendUsageDropAsync(account);
        Assert.Equal(Waiting, await CountAsync("processed_at IS NULL AND claimed_until IS NOT NULL"));

        // The lanes stay stuck past the whole lease: the other replica takes the line's events over and handles them.
        await SuiteFixture.EventuallyAsync(() => CountAsync("processed_at IS NOT NULL"), n => n == Waiting, TimeSpan.FromSeconds(LeaseSeconds * 3));
        // Then they free up, and the line's events are given back, not handled a second time.
        _answerBusy.SetResult();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await first.EventsHandledAsync(TimeSpan.FromSeconds(10));

        Assert.All(waiting, account => Assert.Equal(1, calls.Count(call => call == account)));
        Assert.All(busy, account => Assert.Equal(1, calls.Count(call => call == account)));
    }

    /// <summary>The waiting accounts' events that meet <paramref name="condition"/>.</summary>
    private async Task<long> CountAsync(string condition)
    {
        await using var connection = await _replicas.First.Services.GetRequiredService<ServiceDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM account_events WHERE account_id LIKE 'waiting-%' AND {condition}");
    }

    public async Task DisposeAsync()
    {
        _answerBusy.TrySetResult();
        await _replicas.DisposeAsync();
    }
}
