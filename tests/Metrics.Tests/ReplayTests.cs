using Playbooks.Messaging.Contracts;
using Xunit;
using static Playbooks.Metrics.Tests.Events;

namespace Playbooks.Metrics.Tests;

/// <summary>Idempotence and rebuild: the figures depend on the events, not on how often or how they were delivered.</summary>
[Collection(MetricsCollection.Name)]
public sealed class ReplayTests(MetricsSuite suite)
{
    [Fact]
    public async Task A_redelivered_event_counts_once()
    {
        var csm = $"{Unique("csm")}@example.com";
        var created = TaskChange(EventTypes.TaskCreated, Unique("task"), csm, "emea", At(2026, 9, 1, 9), null, At(2026, 9, 1, 9));

        await suite.PublishAsync(created);
        await suite.PublishAsync(created);
        // Twice in one delivery too, as a relay that crashed mid-batch would resend it.
        await Task.WhenAll(suite.PublishAsync(created, created), suite.PublishAsync(created));

        var report = await suite.KpiAsync("tasks", "from=2026-09-01&to=2026-09-01&groupBy=csm");
        Assert.Equal(1, report.Group(("csm", csm)).Total().Long("created"));
    }

    [Fact]
    public async Task Rebuilding_from_the_stored_events_gives_the_same_figures()
    {
        var (playbook, account) = (Unique("rebuild"), Unique("acct"));
        var start = At(2026, 9, 2, 8);
        var (run, other) = (Unique("run"), Unique("run"));
        await suite.PublishAsync(
            AccountChanged(account, "smb", new DateOnly(2026, 10, 15), start),
            Started(run, playbook, 1, account, start, variant: "A"),
            Reached(run, playbook, 1, "email", "SendNotification", account, start),
            Started(other, playbook, 1, account, start.AddHours(1)),
            Reached(other, playbook, 1, "email", "SendNotification", account, start.AddHours(1)),
            Run(EventTypes.InstanceExited, other, playbook, 1, account, start.AddHours(1), start.AddHours(5)),
            TaskChange(EventTypes.TaskCreated, Unique("task"), "kim@example.com", "emea", start, start.AddHours(4), start),
            AccountEvent("incident.opened", account, new { severity = 1 }, start.AddHours(2)),
            Started(Unique("notice-run"), "incident-response", 1, account, start.AddHours(2)),
            Run(EventTypes.GoalReached, run, playbook, 1, account, start, start.AddDays(2)),
            Run(EventTypes.InstanceCompleted, run, playbook, 1, account, start, start.AddDays(3), variant: "A"));

        string[] queries =
        [
            "runs?from=2026-01-01&to=2026-12-31&groupBy=playbook,version,segment&bucket=week",
            "funnel?from=2026-01-01&to=2026-12-31&bucket=day",
            "goals?from=2026-01-01&to=2026-12-31&groupBy=playbook,segment",
            "variants?from=2026-01-01&to=2026-12-31",
            "tasks?from=2026-01-01&to=2026-12-31&groupBy=csm,team&bucket=week",
            "incidents?from=2026-01-01&to=2026-12-31&bucket=day",
            "renewals?from=2026-09-01&to=2026-11-30&groupBy=segment,csm&bucket=week",
            "notifications?from=2026-01-01&to=2026-12-31",
        ];
        var before = await Task.WhenAll(queries.Select(q => suite.Client.GetStringAsync($"/api/metrics/kpis/{q}")));
        Assert.Contains(playbook, before[0]);

        var (response, rebuilt) = await suite.PostJsonAsync("/api/metrics/rebuild", null);

        response.EnsureSuccessStatusCode();
        Assert.True(rebuilt.GetProperty("eventsReplayed").GetInt64() >= 11);
        var after = await Task.WhenAll(queries.Select(q => suite.Client.GetStringAsync($"/api/metrics/kpis/{q}")));
        for (var i = 0; i < queries.Length; i++) Assert.Equal(before[i], after[i]);
    }
}
