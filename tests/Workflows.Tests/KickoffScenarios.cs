using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Workflows.Tests;

public sealed class KickoffScenarios(ShippedSuiteFixture suite) : IClassFixture<ShippedSuiteFixture>
{
    private Task<Scenario.Result> RunAsync(object[] outcomes, object[] events, string segment = "smb", int days = 90) =>
        Scenario.SimulateAsync(suite, "kickoff", new
        {
            account = Scenario.Account(segment), days, startAt = Scenario.Monday,
            trigger = new { type = "contract.signed" }, taskOutcomes = outcomes, events,
        });

    [Fact]
    public async Task Held_kickoff_leads_to_a_success_plan_and_ends_on_first_value()
    {
        var run = await RunAsync([new { task = "holdKickoff", outcome = "held", after = "P3D" }, new { task = "prepareKickoff", outcome = "done", after = "P1D" }],
            [new { type = "first_value.reached", after = "P20D" }]);

        Assert.Equal("completed", run.Status);
        Assert.Equal(
        [
            "day 0: email 'welcome-email' to admin",
            "day 0: Task 'Prepare kickoff with Acme' for owner, due day 2",   // 2 business days: Monday → Wednesday
            "day 0: Task 'Hold kickoff with Acme' for owner, due day 7",      // 5 business days: Monday → next Monday
            "day 1: CSM records 'done' on prepareKickoff",
            "day 3: CSM records 'held' on holdKickoff",
            "day 3: Task 'Agree success plan with Acme' for owner, due day 10",
            "day 10: Task successPlan is overdue",
            "day 20: Event first_value.reached arrives",
            "day 20: Run completed: Reached Onboarded",
        ], run.Story);
    }

    [Fact]
    public async Task Rescheduled_kickoff_creates_a_new_hold_kickoff_task()
    {
        var run = await RunAsync(
            [new { task = "holdKickoff", outcome = "rescheduled", after = "P2D" }, new { task = "holdKickoff", visit = 2, outcome = "held", after = "P4D" }],
            [new { type = "first_value.reached", after = "P15D" }]);

        Assert.Equal(
        [
            "day 0: Task 'Hold kickoff with Acme' for owner, due day 7",
            "day 2: Task 'Hold kickoff with Acme' for owner, due day 9",  // Wednesday + 5 business days
            "day 6: Task 'Agree success plan with Acme' for owner, due day 13",
        ], run.Of("task.created").Where(l => !l.Contains("Prepare")).ToList());
        Assert.Equal("completed", run.Status);
    }

    [Fact]
    public async Task Second_no_show_escalates_to_the_manager_and_ends()
    {
        var run = await RunAsync(
            [new { task = "holdKickoff", outcome = "no-show", after = "P1D" }, new { task = "holdKickoff", visit = 2, outcome = "no-show", after = "P1D" }], []);

        Assert.Equal("completed", run.Status);
        Assert.Equal(
        [
            "day 0: email 'welcome-email' to admin",
            "day 2: email 'escalation-to-manager' to manager",
            "day 2: chat 'escalation-to-manager' to manager",
        ], run.Of("notification"));
        Assert.Equal("day 2: Run completed: Reached Escalated", run.Story[^1]);
        Assert.Equal(2, run.Of("task.created").Count(l => l.Contains("Hold kickoff")));
    }

    [Theory]
    [InlineData("smb", 33)]         // held on day 3, then 30 days
    [InlineData("enterprise", 63)]  // held on day 3, then 60 days
    public async Task No_first_value_in_time_escalates_by_segment(string segment, double escalationDay)
    {
        var run = await RunAsync([new { task = "holdKickoff", outcome = "held", after = "P3D" }], [], segment, days: 120);

        Assert.Equal(
        [
            "day 0: email 'welcome-email' to admin",
            $"day {escalationDay}: email 'escalation-to-manager' to manager",
            $"day {escalationDay}: chat 'escalation-to-manager' to manager",
        ], run.Of("notification"));
        Assert.Equal($"day {escalationDay}: Run completed: Reached Escalated", run.Story[^1]);
    }
}
