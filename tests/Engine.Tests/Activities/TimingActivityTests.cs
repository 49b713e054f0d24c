using Playbooks.Engine.Tests.Support;
using Xunit;

namespace Playbooks.Engine.Tests.Activities;

/// <summary>Delay (plain and in business days), WaitUntil and WaitForEvent under the simulation's virtual clock.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class TimingActivityTests(EngineSuiteFixture suite)
{
    private static string At(System.Text.Json.JsonElement simulation, string activityId, string kind) =>
        simulation.Items("timeline").Single(e => e.Text("activityId") == activityId && e.Text("kind") == kind).Text("at")!;

    [Fact]
    public async Task Delay_waits_its_duration_in_virtual_time()
    {
        var result = await suite.SimulateDraftAsync(Playbook.Chain(EngineSuiteFixture.Unique("delay"),
            ("wait", "Delay", new { duration = "P7DT12H" }), ("end", "End", null)));

        Assert.Equal([("activity", "start", "Done", 0d), ("waiting", "wait", null, 0d), ("activity", "wait", "Done", 7.5), ("activity", "end", null, 7.5), ("completed", null, null, 7.5)],
            result.Timeline());
    }

    [Fact]
    public async Task Delay_in_business_days_skips_the_weekend_and_Golden_Week_in_the_Japanese_calendar()
    {
        // Wednesday 28 April 2027, 09:00 in Tokyo. 29 April (Shōwa Day) and 3–5 May are holidays, 1–2 May a weekend.
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("golden-week"),
            ("jp", "Delay", new { businessDays = 2, calendar = "jp" }),
            ("plain", "Delay", new { businessDays = 2, calendar = "weekdays" }));

        var result = await suite.SimulateDraftAsync(playbook, startAt: "2027-04-28T00:00:00Z");

        Assert.Equal("2027-05-06T00:00:00+00:00", At(result, "jp", "activity"));
        // Counting on from Thursday 6 May without holidays: Friday 7 and Monday 10.
        Assert.Equal("2027-05-10T00:00:00+00:00", At(result, "plain", "activity"));
    }

    [Fact]
    public async Task Delay_in_business_days_counts_in_the_account_time_zone()
    {
        // 20:00 UTC on Wednesday 28 April 2027 is already Thursday 29 April (Shōwa Day) at 05:00 in Tokyo.
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("time-zone"), ("jp", "Delay", new { businessDays = 1, calendar = "jp" }));
        await suite.CreateAsync(playbook);

        async Task<string> DueFor(string timeZone) => At(await suite.SimulateAsync(playbook.Id, new
        {
            account = EngineSuiteFixture.NewAccount(EngineSuiteFixture.Unique("tz"), a => a["timeZone"] = timeZone),
            startAt = "2027-04-28T20:00:00Z",
            days = 10,
        }), "jp", "activity");

        Assert.Equal("2027-04-29T20:00:00+00:00", await DueFor("Asia/Tokyo"));
        Assert.Equal("2027-04-30T20:00:00+00:00", await DueFor("UTC"));
    }

    [Fact]
    public async Task Delay_in_an_unknown_calendar_faults_with_the_known_ones()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("no-calendar"), ("wait", "Delay", new { businessDays = 2 }));
        var json = System.Text.Json.JsonSerializer.SerializeToNode(playbook.ToJson(), EngineSuiteFixture.Json)!;
        json["activities"]![1]!["inputs"]!["calendar"] = new System.Text.Json.Nodes.JsonObject { ["js"] = "'mars'" };
        var (_, result) = await suite.PostJsonAsync($"{EngineSuiteFixture.Definitions}/any/simulate", new
        {
            definition = json,
            account = EngineSuiteFixture.NewAccount("inline"),
            days = 10,
        });

        Assert.Equal("faulted", result.Text("status"));
        Assert.Equal("Unknown holiday calendar 'mars'. Known: weekdays, jp.", result.Text("fault"));
    }

    [Fact]
    public async Task WaitUntil_waits_until_90_days_before_the_renewal_date()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("renewal"),
            ("ninetyDays", "WaitUntil", new { until = "addDays(account.renewalDate, -90)" }), ("end", "End", null));

        var result = await suite.SimulateDraftAsync(playbook, a => a["renewalDate"] = "2027-06-30", days: 60, startAt: "2027-03-01T00:00:00Z");

        Assert.Equal("2027-04-01T00:00:00+00:00", At(result, "ninetyDays", "activity"));
        Assert.Equal(31, result.Timeline().Single(e => e.Activity == "ninetyDays" && e.Kind == "activity").Day);
        var wait = result.Items("timeline").Single(e => e.Text("kind") == "waiting");
        Assert.Equal("2027-04-01T00:00:00+00:00", wait.GetProperty("details")[0].Text("dueAt"));
    }

    [Fact]
    public async Task WaitUntil_a_date_already_past_continues_at_once()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("past-date"), ("ninetyDays", "WaitUntil", new { until = "addDays(account.renewalDate, -90)" }));

        var result = await suite.SimulateDraftAsync(playbook, a => a["renewalDate"] = "2027-01-31", startAt: "2027-03-01T00:00:00Z");

        Assert.Equal([("activity", "start", "Done", 0d), ("activity", "ninetyDays", "Done", 0d), ("completed", null, null, 0d)], result.Timeline());
    }

    [Fact]
    public async Task WaitUntil_on_an_account_without_the_date_faults_with_the_reason()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("no-renewal"), ("ninetyDays", "WaitUntil", new { until = "account.renewalDate" }));

        var result = await suite.SimulateDraftAsync(playbook, a => a["renewalDate"] = null);

        Assert.Equal("faulted", result.Text("status"));
        Assert.Equal("'until' evaluated to nothing; check the account field it reads.", result.Text("fault"));
    }

    private static Playbook WaitForRecovery(string condition = "") =>
        Playbook.Chain(EngineSuiteFixture.Unique("wait-event"),
                ("recovered", "WaitForEvent", condition.Length > 0
                    ? new { eventType = "usage.recovered", condition, timeout = "P7D" }
                    : (object)new { eventType = "usage.recovered", timeout = "P7D" }))
            .Activity("thank", "End")
            .Activity("escalate", "End")
            .Connect("recovered", "thank", "Received")
            .Connect("recovered", "escalate", "Timeout");

    [Fact]
    public async Task WaitForEvent_continues_on_Received_when_the_account_event_arrives()
    {
        var result = await suite.SimulateDraftAsync(WaitForRecovery(), events: [new { type = "usage.recovered", after = "P3D", data = new { weeklyActiveUsers = 40 } }]);

        var timeline = result.Timeline();
        Assert.Contains(("event", null, null, 3d), timeline);
        Assert.Contains(("activity", "recovered", "Received", 3d), timeline);
        Assert.Equal(["start", "recovered", "recovered", "thank"], result.PathOf());
    }

    [Fact]
    public async Task WaitForEvent_keeps_waiting_while_its_condition_is_false()
    {
        var result = await suite.SimulateDraftAsync(WaitForRecovery("event.data.weeklyActiveUsers >= 30"), events:
        [
            new { type = "usage.recovered", after = "P1D", data = new { weeklyActiveUsers = 12 } },
            new { type = "usage.recovered", after = "P4D", data = new { weeklyActiveUsers = 35 } },
        ]);

        var timeline = result.Timeline();
        Assert.Equal([1d, 4d], timeline.Where(e => e.Kind == "event").Select(e => e.Day));
        Assert.Equal([("activity", "recovered", "Received", 4d)], timeline.Where(e => e.Activity == "recovered" && e.Kind == "activity"));
    }

    [Fact]
    public async Task WaitForEvent_times_out_when_no_event_comes()
    {
        var result = await suite.SimulateDraftAsync(WaitForRecovery(), events: [new { type = "usage.dropped", after = "P1D" }]);

        Assert.Contains(("activity", "recovered", "Timeout", 7d), result.Timeline());
        Assert.Equal("escalate", result.PathOf()[^1]);
    }

    [Fact]
    public async Task A_real_Delay_waits_as_a_timer_bookmark_and_fires()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("real-delay"), ("pause", "Delay", new { duration = "PT1S" }), ("end", "End", null));
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var started = await suite.StartAsync(playbook.Id, account);

        Assert.Equal("running", started.Text("status"));
        var wait = Assert.Single(started.Items("waits"));
        Assert.Equal(("pause", "timer"), (wait.Text("activityId"), wait.Text("kind")));
        var done = await suite.WaitForStatusAsync(started.Text("id")!, "completed");
        Assert.Equal(["waiting", "resumed"], done.JournalOf("pause").Select(j => j.Text("status")));
        Assert.Empty(done.Items("waits"));
    }
}
