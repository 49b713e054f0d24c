using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Workflows.Tests;

public sealed class AdoptionNudgeScenarios(ShippedSuiteFixture suite) : IClassFixture<ShippedSuiteFixture>
{
    [Fact]
    public async Task Recovery_within_a_week_ends_the_play_without_a_call()
    {
        var run = await Scenario.SimulateAsync(suite, "adoption-nudges", new
        {
            account = Scenario.Account(), days = 40, startAt = Scenario.Monday, trigger = new { type = "usage.dropped" },
            events = new[] { new { type = "usage.recovered", after = "P4D" } },
        });

        Assert.Equal(
        [
            "day 0: in-app 'adoption-nudge' to admin",
            "day 0: email 'adoption-nudge' to admin",
            "day 4: Event usage.recovered arrives",
            "day 4: Run completed: Reached Recovered",
        ], run.Story);
    }

    [Theory]
    [InlineData("reached")]
    [InlineData("no answer")]
    [InlineData("not interested")]
    public async Task No_recovery_in_seven_days_means_a_call_then_a_second_nudge(string callOutcome)
    {
        var run = await Scenario.SimulateAsync(suite, "adoption-nudges", new
        {
            account = Scenario.Account(), days = 40, startAt = Scenario.Monday, trigger = new { type = "usage.dropped" },
            taskOutcomes = new[] { new { task = "callToReengage", outcome = callOutcome, after = "P1D" } },
        });

        Assert.Equal(
        [
            "day 0: in-app 'adoption-nudge' to admin",
            "day 0: email 'adoption-nudge' to admin",
            "day 7: Task 'Call Acme to re-engage' for owner, due day 9",   // Monday + 2 business days
            $"day 8: CSM records '{callOutcome}' on callToReengage",
            "day 8: email 'adoption-nudge' to admin",
            "day 8: Run completed: Reached Nudged twice",
        ], run.Story);
    }
}
