using System.Text.Json.Nodes;
using Playbooks.Distributed.Tests.Support;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A cron trigger's due time fires for every account on the replica that claimed it, one start after another; the claim
/// is renewed as the starts go, so a due time that takes longer than a lease (each run's first step calls a slow CRM) is
/// not taken over and fired again by the other replica.
/// </summary>
public sealed class ScheduleLeaseTests : IAsyncLifetime
{
    private const int LeaseSeconds = 3;
    // The three starts together take longer than a lease.
    private static readonly TimeSpan SlowCall = TimeSpan.FromSeconds(1.5);

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2027, 4, 1, 12, 0, 30, TimeSpan.Zero));
    private ReplicasWithCrm _replicas = null!;

    public async Task InitializeAsync() => _replicas = await ReplicasWithCrm.StartAsync("schedule-lease", LeaseSeconds, _ => Task.Delay(SlowCall), _clock);

    [Fact]
    public async Task A_due_time_that_takes_longer_than_a_lease_fires_once_for_each_account()
    {
        var accounts = (await _replicas.First.AccountsAsync("book", 3)).Select(a => a.Id).ToArray();
        await _replicas.PublishCrmSyncAsync(new JsonObject { ["kind"] = "schedule", ["cron"] = "* * * * *" });
        // Both replicas have seen the schedule (they look four times a second) before its next minute comes.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        _clock.Advance(TimeSpan.FromSeconds(40));

        await SuiteFixture.EventuallyAsync(() => Task.FromResult(accounts.All(_replicas.Calls.Contains)), all => all, TimeSpan.FromSeconds(30));
        // A lease after the last start began: a due time taken over would have fired again by now.
        await Task.Delay(TimeSpan.FromSeconds(LeaseSeconds) + SlowCall);

        Assert.Equal(accounts.Order(), _replicas.Calls.Order());
    }

    public async Task DisposeAsync() => await _replicas.DisposeAsync();
}
