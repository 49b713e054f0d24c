using Playbooks.Engine.Tests.Support;
using Xunit;

namespace Playbooks.Engine.Tests.Activities;

/// <summary>Start, End, If, Switch, Fork and Join, shown through the designer's test run (simulation) and a real run.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class FlowActivityTests(EngineSuiteFixture suite)
{
    [Fact]
    public async Task A_run_goes_from_Start_to_End_and_completes()
    {
        var result = await suite.SimulateDraftAsync(Playbook.Chain(EngineSuiteFixture.Unique("start-end"), ("end", "End", null)));

        Assert.Equal("completed", result.Text("status"));
        Assert.Equal([("activity", "start", "Done", 0d), ("activity", "end", null, 0d), ("completed", null, null, 0d)], result.Timeline());
    }

    [Fact]
    public async Task End_finishes_the_run_and_drops_waits_on_other_branches()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("end-drops"), ("split", "Fork", new { branches = new[] { "Slow", "Fast" } }))
            .Activity("slow", "Delay", new { duration = "P10D" })
            .Activity("end", "End")
            .Connect("split", "slow", "Slow")
            .Connect("split", "end", "Fast")
            .Connect("slow", "end");

        var result = await suite.SimulateDraftAsync(playbook);

        Assert.Equal("completed", result.Text("status"));
        Assert.Equal(["start", "split", "slow", "end"], result.PathOf());
        Assert.Equal(0, result.Timeline()[^1].Day);
    }

    [Theory]
    [InlineData(45, "atRisk")]
    [InlineData(80, "healthy")]
    public async Task If_takes_the_branch_its_condition_chooses(int healthScore, string expected)
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("if"), ("check", "If", new { condition = "account.healthScore < 60" }))
            .Activity("atRisk", "End")
            .Activity("healthy", "End")
            .Connect("check", "atRisk", "True")
            .Connect("check", "healthy", "False");

        var result = await suite.SimulateDraftAsync(playbook, a => a["healthScore"] = healthScore);

        Assert.Equal(["start", "check", expected], result.PathOf());
        Assert.Equal(expected == "atRisk" ? "True" : "False", result.Timeline()[1].Outcome);
    }

    [Theory]
    [InlineData("enterprise", "Enterprise")]
    [InlineData("smb", "Smb")]
    [InlineData("mid-market", "Default")]
    public async Task Switch_takes_the_first_case_that_holds_or_Default(string segment, string expected)
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("switch"), ("segment", "Switch", new
            {
                cases = new[]
                {
                    new { name = "Enterprise", condition = "account.segment == 'enterprise'" },
                    new { name = "Smb", condition = "account.segment == 'smb' || account.arr < 10000" },
                },
            }))
            .Activity("enterprise", "End").Activity("smb", "End").Activity("other", "End")
            .Connect("segment", "enterprise", "Enterprise")
            .Connect("segment", "smb", "Smb")
            .Connect("segment", "other", "Default");

        var result = await suite.SimulateDraftAsync(playbook, a => a["segment"] = segment);

        Assert.Equal(expected, result.Timeline()[1].Outcome);
        Assert.Equal(expected switch { "Enterprise" => "enterprise", "Smb" => "smb", _ => "other" }, result.PathOf()[2]);
    }

    private static Playbook ForkAndJoin(string mode) =>
        Playbook.Chain(EngineSuiteFixture.Unique($"join-{mode}"), ("split", "Fork", new { branches = new[] { "Email", "Call" } }))
            .Activity("email", "SendNotification", new { channel = "email", template = "check-in", recipients = new[] { new { kind = "contacts" } } })
            .Activity("call", "Delay", new { duration = "P2D" })
            .Activity("join", "Join", new { mode })
            .Activity("after", "SetVariable", new { name = "joined", value = new { js = "(vars.joined || 0) + 1" } })
            .Variable("joined", "number", 0)
            .Connect("split", "email", "Email")
            .Connect("split", "call", "Call")
            .Connect("email", "join")
            .Connect("call", "join")
            .Connect("join", "after");

    [Fact]
    public async Task Fork_runs_every_branch_and_Join_all_continues_once_the_last_arrives()
    {
        var result = await suite.SimulateDraftAsync(ForkAndJoin("all"));

        var timeline = result.Timeline();
        Assert.Contains(("activity", "email", "Done", 0d), timeline);
        Assert.Contains(("waiting", "call", null, 0d), timeline);
        Assert.Equal([2d], timeline.Where(e => e.Activity == "join" && e.Kind == "activity").Select(e => e.Day));
        Assert.Equal([("activity", "after", "Done", 2d)], timeline.Where(e => e.Activity == "after"));
        Assert.Equal(1, result.GetProperty("variables").GetProperty("joined").GetInt32());
        Assert.Equal("completed", result.Text("status"));
    }

    [Fact]
    public async Task Join_any_continues_on_the_first_arrival_and_absorbs_the_later_ones()
    {
        var result = await suite.SimulateDraftAsync(ForkAndJoin("any"));

        var timeline = result.Timeline();
        Assert.Equal([0d], timeline.Where(e => e.Activity == "join" && e.Kind == "activity").Select(e => e.Day));
        Assert.Equal([("activity", "after", "Done", 0d)], timeline.Where(e => e.Activity == "after"));
        Assert.Contains(("activity", "call", "Done", 2d), timeline);
        Assert.Equal(1, result.GetProperty("variables").GetProperty("joined").GetInt32());
        Assert.Equal(("completed", null, null, 2d), timeline[^1]);
    }

    [Fact]
    public async Task A_real_run_through_If_and_Switch_journals_each_step_and_completes()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("real-flow"), ("check", "If", new { condition = "account.healthScore < 60" }))
            .Activity("segment", "Switch", new { cases = new[] { new { name = "Enterprise", condition = "account.segment == 'enterprise'" } } })
            .Activity("end", "End")
            .Connect("check", "segment", "True")
            .Connect("check", "end", "False")
            .Connect("segment", "end", "Enterprise")
            .Connect("segment", "end", "Default");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var instance = await suite.StartAsync(playbook.Id, account);

        Assert.Equal("completed", instance.Text("status"));
        Assert.Equal("Reached end", instance.Text("endReason"));
        var journal = instance.Items("journal").Select(j => (j.Text("activityId"), j.Text("status"), j.Text("outcome"))).ToList();
        Assert.Equal(
            [("start", "completed", "Done"), ("check", "completed", "True"), ("segment", "completed", "Enterprise"), ("end", "completed", null), ("", "completed", null)],
            journal);
        Assert.True(instance.JournalOf("check")[0].GetProperty("inputs").GetProperty("condition").GetBoolean());
    }
}
