using Playbooks.Distributed.Tests.Support;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A replica keeps its claim on an account event for as long as it works on it: a run whose first step waits on a slow
/// CRM for longer than a lease is not taken over by the other replica, which would start it again and call the CRM twice.
/// </summary>
public sealed class LeaseRenewalTests : IAsyncLifetime
{
    private const int LeaseSeconds = 3;
    // Three leases: without renewal the claim lapses twice over while the CRM is still answering.
    private static readonly TimeSpan SlowCall = TimeSpan.FromSeconds(3 * LeaseSeconds);

    private ReplicasWithCrm _replicas = null!;

    public async Task InitializeAsync() => _replicas = await ReplicasWithCrm.StartAsync("lease-renewal", LeaseSeconds, _ => Task.Delay(SlowCall));

    [Fact]
    public async Task A_run_whose_first_step_outlasts_the_lease_is_not_taken_over_and_calls_the_crm_once()
    {
        await _replicas.PublishCrmSyncAsync(ReplicasWithCrm.OnUsageDrop);
        var accounts = (await _replicas.First.AccountsAsync("slow-crm", 3)).Select(a => a.Id).ToArray();

        foreach (var account in accounts) await _replicas.SendUsageDropAsync(account);
        await _replicas.First.EventsHandledAsync(SlowCall * 3);

        Assert.Equal(accounts.Order(), _replicas.Calls.Order());
    }

    public async Task DisposeAsync() => await _replicas.DisposeAsync();
}
