using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Workflows.Tests;

/// <summary>
/// Renewal on 2026-06-30 (day 176 from Monday 2026-01-05): the run starts 120 days before, on day 56.
/// Lines count days from 2026-01-05; due days in task summaries count from the run's start.
/// </summary>
public sealed class RenewalOutreachScenarios(ShippedSuiteFixture suite) : IClassFixture<ShippedSuiteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero); // 120 days before 2026-06-30

    private Task<Scenario.Result> RunAsync(int health, object[] events) =>
        Scenario.SimulateAsync(suite, "renewal-outreach", new { account = Scenario.Account(health: health), days = 130, startAt = Start, events });

    [Fact]
    public async Task Each_step_lands_on_its_day_before_renewal_and_signing_ends_the_run()
    {
        var run = await RunAsync(72, [new { type = "renewal.signed", after = "P115D" }]);

        Assert.Equal("exited", run.Status);
        Assert.Equal(
        [
            "day 56: Task 'Health and risk review for Acme' for owner, due day 7",      // 120 days before
            "day 86: Task 'Stakeholder audit with Acme' for owner, due day 37",          // 90 days before
            "day 116: Task 'Value case with Acme' for owner, due day 67",               // 60 days before
            "day 131: Task 'Executive call with Acme' for owner, due day 82",           // 45 days before
            "day 146: Task 'Renewal proposal with Acme' for owner, due day 97",         // 30 days before
        ], run.Of("task.created"));
        Assert.Equal(["day 86: email 'renewal-champion-email' to champion"], run.Of("notification"));
        Assert.Equal("day 171: Run exited: Exit condition: renewal.signed", run.Story[^1]);
    }

    [Fact]
    public async Task Health_falling_below_60_at_any_step_notifies_the_manager_and_asks_for_a_save_plan()
    {
        var run = await RunAsync(72, [new { type = "health.changed", after = "P70D", data = new { healthScore = 50 } }]);

        Assert.Contains("day 126: email 'escalation-to-manager' to manager", run.Of("notification"));
        Assert.Contains("day 126: Task 'Save plan for Acme' for owner, due day 73", run.Of("task.created"));
    }

    [Fact]
    public async Task An_account_already_below_60_starts_on_the_risk_path()
    {
        var run = await RunAsync(50, []);

        Assert.Contains("day 56: email 'escalation-to-manager' to manager", run.Of("notification"));
        Assert.Contains("day 56: Task 'Save plan for Acme' for owner, due day 3", run.Of("task.created"));
    }

    [Fact]
    public async Task A_lost_renewal_asks_for_the_churn_reason_and_ends_the_outreach()
    {
        var run = await RunAsync(72, [new { type = "renewal.lost", after = "P40D" }]);

        Assert.Contains("day 96: Task 'Record why Acme did not renew' for owner, due day 45", run.Of("task.created"));
        Assert.DoesNotContain(run.Of("task.created"), l => l.Contains("Value case"));
    }
}
