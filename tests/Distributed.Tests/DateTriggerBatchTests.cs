using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Playbooks.Distributed.Tests.Support;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A replica that claimed a batch of due date triggers fires them one after another, renewing the batch's claims, and
/// gives the rest back once half the lease has passed (each run's first step calls a slow CRM). Fired on a claim that
/// had lapsed meanwhile, a date would also be fired by the other replica, and the CRM called twice for it; kept until
/// its claim lapsed instead of given back, the rest of the batch would wait most of a lease for nothing.
/// </summary>
public sealed class DateTriggerBatchTests : IAsyncLifetime
{
    private const int LeaseSeconds = 6;
    // Longer than half the lease, shorter than a whole one: the batch's second start would end past the lease.
    private static readonly TimeSpan SlowCall = TimeSpan.FromMilliseconds(3_500);

    private readonly ConcurrentQueue<TimeSpan> _callsBegan = new();
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private ReplicasWithCrm _replicas = null!;

    // The accounts renew on 2027-06-30 (InProcessEngine.AccountsAsync): 90 days before is due on 2027-04-01 at 09:00 UTC.
    public async Task InitializeAsync() => _replicas = await ReplicasWithCrm.StartAsync("date-trigger-batch", LeaseSeconds, _ =>
    {
        _callsBegan.Enqueue(_sinceStart.Elapsed);
        return Task.Delay(SlowCall);
    }, new ManualTimeProvider(new DateTimeOffset(2027, 4, 1, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task A_batch_of_due_dates_that_runs_past_half_its_lease_gives_the_rest_back_and_each_date_calls_the_crm_once()
    {
        var accounts = (await _replicas.First.AccountsAsync("renewing", 3)).Select(a => a.Id).ToArray();
        await _replicas.PublishCrmSyncAsync(new JsonObject { ["kind"] = "date", ["field"] = "renewalDate", ["offsetDays"] = -90 });

        await SuiteFixture.EventuallyAsync(() => Task.FromResult(accounts.All(_replicas.Calls.Contains)), all => all, TimeSpan.FromSeconds(30));
        // A lease after the last call began: a date fired on a lapsed claim would have been fired again by now.
        await Task.Delay(TimeSpan.FromSeconds(LeaseSeconds) + SlowCall);

        Assert.Equal(accounts.Order(), _replicas.Calls.Order());
        // Given back, the rest is claimed afresh within a poll of the first call's end (3.5 s after it began); left to
        // lapse, the claim renewed 2 s in would hold it until 8 s.
        var began = _callsBegan.Order().ToList();
        var longestWait = began.Zip(began.Skip(1), (before, after) => after - before).Max();
        Assert.True(longestWait < TimeSpan.FromSeconds(LeaseSeconds), $"a date waited {longestWait.TotalSeconds:0.0} s after the one before it");
    }

    public async Task DisposeAsync() => await _replicas.DisposeAsync();
}
