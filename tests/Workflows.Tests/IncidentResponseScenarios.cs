using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Workflows.Tests;

public sealed class IncidentResponseScenarios(ShippedSuiteFixture suite) : IClassFixture<ShippedSuiteFixture>
{
    private Task<Scenario.Result> RunAsync(string severity, decimal arr, string resolvedAfter, object[]? more = null) =>
        Scenario.SimulateAsync(suite, "incident-response", new
        {
            account = Scenario.Account(arr: arr), days = 20, startAt = Scenario.Monday,
            trigger = new { type = "incident.opened", data = new { severity, incidentId = "INC-7", accountIds = new[] { "acme-smb" } } },
            events = new object[] { new { type = "incident.resolved", after = resolvedAfter, data = new { incidentId = "INC-7" } } }.Concat(more ?? []).ToArray(),
        });

    private static IReadOnlyList<double> MinutesOf(Scenario.Result run, string template) =>
        run.Lines.Where(l => l.Kind == "notification" && l.Summary.Contains(template)).Select(l => (l.At - Scenario.Monday).TotalMinutes).ToList();

    [Fact]
    public async Task Sev1_notifies_customers_at_once_and_updates_every_30_minutes_until_resolved()
    {
        var run = await RunAsync("SEV-1", 250_000, "PT95M");

        Assert.Equal([0.0], MinutesOf(run, "email 'incident-first-notice' to contacts"));
        Assert.Equal([0.0], MinutesOf(run, "in-app 'incident-first-notice' to owner"));
        Assert.Equal([30.0, 60.0, 90.0], MinutesOf(run, "incident-update"));
        Assert.Contains("day 0.07: Task 'RCA summary for Acme' for owner, due day 1.07", run.Of("task.created"));          // 24 h after resolution
        Assert.Contains("day 0.07: Task 'Follow-up call with Acme about the incident' for owner, due day 3.07", run.Of("task.created"));
        Assert.Equal("day 14.07: Run completed: Reached Done", run.Story[^1]);                                            // 14-day health watch
    }

    [Fact]
    public async Task Sev2_updates_hourly_and_a_small_account_gets_no_follow_up_call()
    {
        var run = await RunAsync("SEV-2", 20_000, "PT150M");

        Assert.Equal([60.0, 120.0], MinutesOf(run, "incident-update"));
        Assert.DoesNotContain(run.Of("task.created"), l => l.Contains("Follow-up call"));
    }

    [Fact]
    public async Task A_health_drop_during_the_watch_hands_the_account_to_adoption_nudges()
    {
        var run = await RunAsync("SEV-2", 20_000, "PT30M", [new { type = "health.changed", after = "P3D", data = new { healthScore = 41 } }]);

        Assert.Contains("day 3: Emits usage.dropped", run.Story);
        Assert.Equal("completed", run.Status);
    }
}
