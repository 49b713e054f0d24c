using System.Net;
using System.Text.Json.Nodes;
using Playbooks.Engine.Tests.Support;
using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Engine.Tests.Simulation;

/// <summary>
/// The designer's test run: a playbook with Delay, WaitForTask and If over 60 virtual days, answered in milliseconds
/// with its exact timeline, and without touching anything real.
/// </summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class SimulationTests(EngineSuiteFixture suite)
{
    private static JsonObject OnboardingHealthCheck(string definitionId)
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Simulation", "onboarding-health-check.json")))!.AsObject();
        definition["definitionId"] = definitionId;
        return definition;
    }

    private async Task<string> SaveAsync()
    {
        var id = EngineSuiteFixture.Unique("onboarding-health-check");
        var (response, body) = await suite.PostJsonAsync(EngineSuiteFixture.Definitions, OnboardingHealthCheck(id));
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.Empty(body.Items("problems"));
        return id;
    }

    private static object Request(string accountId, int healthScore, string kickoffOutcome, string after = "P2D") => new
    {
        account = EngineSuiteFixture.NewAccount(accountId, a => a["healthScore"] = healthScore),
        days = 60,
        startAt = "2027-04-05T00:00:00Z",
        taskOutcomes = new[] { new { task = "kickoff", outcome = kickoffOutcome, after } },
    };

    [Fact]
    public async Task Sixty_virtual_days_of_a_playbook_with_Delay_WaitForTask_and_If_return_the_exact_timeline()
    {
        var id = await SaveAsync();

        var result = await suite.SimulateAsync(id, Request(EngineSuiteFixture.Unique("sim"), healthScore: 55, kickoffOutcome: "held"));

        Assert.Equal("completed", result.Text("status"));
        Assert.Equal(
            [
                ("activity", "start", "Done", 0d),
                ("activity", "welcome", "Done", 0d),
                ("waiting", "settleIn", null, 0d),
                ("notification", "welcome", null, 0d),
                ("activity", "settleIn", "Done", 3d),
                ("activity", "kickoff", "Done", 3d),
                ("waiting", "kickoffOutcome", null, 3d),
                ("task.created", "kickoff", null, 3d),
                ("task.completed", "kickoff", "held", 5d),
                ("activity", "kickoffOutcome", "held", 5d),
                ("waiting", "aMonthLater", null, 5d),
                ("activity", "aMonthLater", "Done", 35d),
                ("activity", "healthy", "False", 35d),
                ("activity", "nudge", "Done", 35d),
                ("activity", "remember", "Done", 35d),
                ("activity", "done", null, 35d),
                ("notification", "nudge", null, 35d),
                ("completed", null, null, 35d),
            ],
            result.Timeline());
        Assert.Equal("2027-04-05T00:00:00+00:00", result.Text("startedAt"));
        Assert.Equal("2027-05-10T00:00:00+00:00", result.Text("endedAt"));
        Assert.True(result.GetProperty("variables").GetProperty("nudged").GetBoolean());
        var task = result.Items("timeline").Single(e => e.Text("kind") == "task.created");
        Assert.Equal("Task 'Hold kickoff with Acme K.K.' for owner, due day 8", task.Text("summary"));
    }

    [Fact]
    public async Task A_healthy_account_takes_the_other_branch_of_the_If()
    {
        var id = await SaveAsync();

        var result = await suite.SimulateAsync(id, Request(EngineSuiteFixture.Unique("sim"), healthScore: 85, kickoffOutcome: "held"));

        Assert.Equal(["start", "welcome", "settleIn", "settleIn", "kickoff", "kickoffOutcome", "kickoffOutcome", "aMonthLater", "aMonthLater", "healthy", "done"],
            result.PathOf());
        Assert.DoesNotContain(result.Timeline(), e => e.Activity == "nudge");
    }

    [Fact]
    public async Task A_task_nobody_completes_goes_overdue_on_its_due_day()
    {
        var id = await SaveAsync();

        var result = await suite.SimulateAsync(id, new
        {
            account = EngineSuiteFixture.NewAccount(EngineSuiteFixture.Unique("sim")),
            days = 60,
            startAt = "2027-04-05T00:00:00Z",
        });

        var timeline = result.Timeline();
        Assert.Contains(("task.overdue", "kickoff", null, 8d), timeline);
        Assert.Contains(("activity", "kickoffOutcome", "Overdue", 8d), timeline);
        Assert.Contains(("activity", "escalate", "Done", 8d), timeline);
        Assert.Equal(2, timeline.Count(e => e.Kind == "notification" && e.Activity == "escalate"));
    }

    [Fact]
    public async Task A_run_longer_than_the_simulated_days_stops_where_the_days_end()
    {
        var id = await SaveAsync();

        var result = await suite.SimulateAsync(id, new
        {
            account = EngineSuiteFixture.NewAccount(EngineSuiteFixture.Unique("sim")),
            days = 20,
            startAt = "2027-04-05T00:00:00Z",
            taskOutcomes = new[] { new { task = "kickoff", outcome = "held", after = "P1D" } },
        });

        Assert.Equal("running", result.Text("status"));
        Assert.Equal(("waiting", "aMonthLater", null, 4d), result.Timeline()[^1]);
    }

    [Fact]
    public async Task A_test_run_creates_no_instance_and_puts_nothing_on_the_bus()
    {
        var id = await SaveAsync();
        using var bus = suite.RecordBus();
        var account = await suite.AddAccountAsync();
        // Adding the account announces it; only what comes after that counts.
        await bus.WaitForAsync(Playbooks.Engine.Triggers.AccountChanges.EventType, account);
        var before = bus.Events.Count;

        var result = await suite.SimulateAsync(id, new
        {
            accountId = account,
            days = 60,
            taskOutcomes = new[] { new { task = "kickoff", outcome = "no-show", after = "P1D" } },
        });

        Assert.Equal("completed", result.Text("status"));
        Assert.Contains(result.Timeline(), e => e.Kind == "task.created");
        var instances = await suite.GetJsonAsync($"{EngineSuiteFixture.Instances}?definitionId={id}");
        Assert.Equal(0, instances.GetProperty("total").GetInt32());
        await Task.Delay(300);
        var after = bus.Events.Skip(before).ToList();
        Assert.DoesNotContain(after, e => e.AccountId == account);
        Assert.DoesNotContain(after, e => e.Type == EventTypes.TaskRequested && e.Data.Text("definitionId") == id);
        var stored = await suite.GetJsonAsync($"/api/engine/accounts/{account}");
        Assert.Equal("onboarding", stored.Text("lifecycleStage"));
    }

    [Fact]
    public async Task A_test_run_of_a_playbook_with_problems_is_refused_with_them()
    {
        var id = EngineSuiteFixture.Unique("broken-sim");
        await suite.CreateAsync(Playbook.Chain(id, ("wait", "Delay", new { duration = "soon" })));

        var (response, problem) = await suite.PostJsonAsync($"{EngineSuiteFixture.Definitions}/{id}/simulate", new { account = EngineSuiteFixture.NewAccount("x"), days = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(problem.ErrorsAt("$.activities[1].inputs.duration"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    public async Task A_test_run_needs_a_sensible_number_of_days(int days)
    {
        var id = await SaveAsync();

        var (response, problem) = await suite.PostJsonAsync($"{EngineSuiteFixture.Definitions}/{id}/simulate", new { account = EngineSuiteFixture.NewAccount("x"), days });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["Simulate between 1 and 3660 days."], problem.ErrorsAt("$.days"));
    }
}
