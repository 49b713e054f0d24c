using Playbooks.Messaging.Contracts;
using Xunit;
using static Playbooks.Metrics.Tests.Events;

namespace Playbooks.Metrics.Tests;

[Collection(MetricsCollection.Name)]
public sealed class RenewalKpiTests(MetricsSuite suite)
{
    [Fact]
    public async Task Coverage_is_the_share_of_accounts_renewing_within_90_days_with_an_outreach_run_active_or_done()
    {
        var segment = Unique("seg");
        var accounts = Enumerable.Range(1, 8).Select(i => Unique($"ren{i}")).ToArray();
        var changed = At(2026, 10, 1);
        DateOnly?[] renewals =
        [
            new(2026, 12, 1), new(2027, 1, 15), new(2027, 2, 18), new(2026, 11, 20),
            new(2027, 3, 1), new(2026, 11, 19), new(2026, 12, 10), new(2027, 1, 1),
        ];
        foreach (var (account, renewal) in accounts.Zip(renewals)) await suite.PublishAsync(AccountChanged(account, segment, renewal, changed));

        var runs = Enumerable.Range(1, 6).Select(i => Unique($"out{i}")).ToArray();
        await suite.PublishAsync(
            Started(runs[0], "renewal-outreach", 1, accounts[0], At(2026, 11, 1)),                              // a1: under way
            Started(runs[1], "renewal-outreach", 1, accounts[1], At(2026, 11, 5)),
            Run(EventTypes.InstanceCompleted, runs[1], "renewal-outreach", 1, accounts[1], At(2026, 11, 5), At(2026, 11, 10)),  // a2: done
            Started(runs[2], "renewal-outreach", 1, accounts[2], At(2026, 11, 2)),
            Run(EventTypes.InstanceCancelled, runs[2], "renewal-outreach", 1, accounts[2], At(2026, 11, 2), At(2026, 11, 15)), // a3: cancelled
            Started(runs[3], "renewal-outreach", 1, accounts[4], At(2026, 11, 3)),                              // a5: renews too late to count
            Started(runs[4], "adoption-nudge", 1, accounts[6], At(2026, 11, 3)),                                // a7: another playbook
            Started(runs[5], "renewal-outreach", 1, accounts[7], At(2025, 11, 1)));                             // a8: last year's renewal

        var report = await suite.KpiAsync("renewals", "from=2026-11-12&to=2026-11-20&groupBy=segment&bucket=day");
        var group = report.Group(("segment", segment));

        // As of 2026-11-20 the window is 11-20 … 2027-02-18: a1, a2, a3 (day 90), a4 (today), a7, a8 renew in it (6);
        // a5 (101 days) and a6 (yesterday) do not. Covered: a1 and a2 → 2 ÷ 6 = 0.3333.
        var total = group.Total();
        Assert.Equal(("2026-11-20", 6, 2, 0.3333), (total.GetProperty("asOf").GetString(), total.Long("renewing"), total.Long("covered"), total.Double("coverage")));
        // As of 2026-11-12 the window is 11-12 … 2027-02-10: a1, a2, a4, a6, a7, a8 (6); a2's run had started on 11-05.
        var earlier = group.Bucket("2026-11-12");
        Assert.Equal(("2026-11-12", 6, 2), (earlier.GetProperty("asOf").GetString(), earlier.Long("renewing"), earlier.Long("covered")));
        // The last day's bucket is taken as of the same day as the total.
        Assert.Equal((6, 2), (group.Bucket("2026-11-20").Long("renewing"), group.Bucket("2026-11-20").Long("covered")));
        Assert.Equal(9, group.GetProperty("buckets").GetArrayLength());
    }
}
