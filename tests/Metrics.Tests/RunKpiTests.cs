using Playbooks.Messaging.Contracts;
using Xunit;
using static Playbooks.Metrics.Tests.Events;

namespace Playbooks.Metrics.Tests;

[Collection(MetricsCollection.Name)]
public sealed class RunKpiTests(MetricsSuite suite)
{
    [Fact]
    public async Task Runs_count_each_outcome_per_version_with_median_and_p90_of_completed_and_exited_runs()
    {
        var playbook = Unique("nudge");
        var start = At(2026, 10, 5, 8);
        var runs = Enumerable.Range(1, 7).Select(i => Unique($"r{i}")).ToArray();
        foreach (var run in runs) await suite.PublishAsync(Started(run, playbook, 1, "acct-a", start));
        await suite.PublishAsync(
            Run(EventTypes.InstanceCompleted, runs[0], playbook, 1, "acct-a", start, start.AddHours(1)),
            Run(EventTypes.InstanceCompleted, runs[1], playbook, 1, "acct-a", start, start.AddHours(2)),
            Run(EventTypes.InstanceCompleted, runs[2], playbook, 1, "acct-a", start, start.AddHours(3)),
            Run(EventTypes.InstanceExited, runs[3], playbook, 1, "acct-a", start, start.AddHours(4)),
            Run(EventTypes.InstanceCompleted, runs[4], playbook, 1, "acct-a", start, start.AddHours(10)),
            // A run that faults twice counts as one faulted run; cancelled, its length is no playbook duration.
            Run(EventTypes.InstanceFaulted, runs[5], playbook, 1, "acct-a", start, start.AddMinutes(30)),
            Run(EventTypes.InstanceFaulted, runs[5], playbook, 1, "acct-a", start, start.AddMinutes(40)),
            Run(EventTypes.InstanceCancelled, runs[5], playbook, 1, "acct-a", start, start.AddHours(1)));
        // runs[6] is still running. Version 2: one run of 24 hours, ending the next day.
        var v2 = Unique("r8");
        await suite.PublishAsync(Started(v2, playbook, 2, "acct-a", start), Run(EventTypes.InstanceCompleted, v2, playbook, 2, "acct-a", start, start.AddDays(1)));

        var report = await suite.KpiAsync("runs", $"from=2026-10-05&to=2026-10-06&playbook={playbook}&groupBy=playbook,version&bucket=day");

        var v1 = report.Group(("playbook", playbook), ("version", 1)).Total();
        Assert.Equal((7, 4, 1, 1, 1), (v1.Long("started"), v1.Long("completed"), v1.Long("exited"), v1.Long("faulted"), v1.Long("cancelled")));
        // Durations 1 h, 2 h, 3 h, 4 h, 10 h (nearest rank): median = 3rd of 5 = 3 h; p90 = ⌈0.9 × 5⌉ = 5th = 10 h.
        Assert.Equal(5, v1.Long("durationSamples"));
        Figures.WithinOnePercent(TimeSpan.FromHours(3), v1.Long("durationMedianMs"));
        Figures.WithinOnePercent(TimeSpan.FromHours(10), v1.Long("durationP90Ms"));

        var second = report.Group(("playbook", playbook), ("version", 2));
        Assert.Equal((1, 0), (second.Bucket("2026-10-05").Long("started"), second.Bucket("2026-10-05").Long("completed")));
        Assert.Equal((0, 1), (second.Bucket("2026-10-06").Long("started"), second.Bucket("2026-10-06").Long("completed")));
        Figures.WithinOnePercent(TimeSpan.FromHours(24), second.Total().Long("durationMedianMs"));
    }

    [Fact]
    public async Task The_funnel_counts_runs_that_reached_each_activity_once_and_where_runs_that_left_stopped()
    {
        var playbook = Unique("onboard");
        var start = At(2026, 10, 7, 9);
        var (f1, f2, f3, f4) = (Unique("f1"), Unique("f2"), Unique("f3"), Unique("f4"));
        // The first burst comes as one event, as the engine sends it; later steps one by one, as it sent them before
        // (stored events a rebuild replays): both fold alike.
        foreach (var run in new[] { f1, f2, f3, f4 })
            await suite.PublishAsync(Started(run, playbook, 1, "acct-f", start), Burst(run, playbook, 1, "acct-f", start, ("start", "Start"), ("email", "SendNotification")));
        await suite.PublishAsync(
            Reached(f1, playbook, 1, "wait", "WaitForEvent", "acct-f", start.AddMinutes(2)),
            Reached(f1, playbook, 1, "call", "CreateTask", "acct-f", start.AddDays(2)),
            Run(EventTypes.InstanceCompleted, f1, playbook, 1, "acct-f", start, start.AddDays(3)),
            Reached(f2, playbook, 1, "wait", "WaitForEvent", "acct-f", start.AddMinutes(2)),
            Run(EventTypes.InstanceExited, f2, playbook, 1, "acct-f", start, start.AddDays(1)),
            Run(EventTypes.InstanceCancelled, f3, playbook, 1, "acct-f", start, start.AddHours(5)),
            // A loop back to the email is still one run that reached it.
            Reached(f4, playbook, 1, "email", "SendNotification", "acct-f", start.AddHours(6)),
            Reached(f4, playbook, 1, "wait", "WaitForEvent", "acct-f", start.AddHours(6)));

        var report = await suite.KpiAsync("funnel", $"from=2026-10-01&to=2026-10-31&playbook={playbook}&bucket=none");

        var total = report.Group(("playbook", playbook), ("version", 1)).Total();
        Assert.Equal(4, total.Long("runsStarted"));
        var steps = total.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("activityId").GetString()!);
        // Reached: start 4/4, email 4/4, wait 3/4 (f1, f2, f4), call 1/4. Left there: f2 exited at wait, f3 cancelled at email.
        Assert.Equal((4, 1.0, 0), (steps["start"].Long("reached"), steps["start"].Double("reachedRate"), steps["start"].Long("dropped")));
        Assert.Equal((4, 1.0, 1), (steps["email"].Long("reached"), steps["email"].Double("reachedRate"), steps["email"].Long("dropped")));
        Assert.Equal((3, 0.75, 1), (steps["wait"].Long("reached"), steps["wait"].Double("reachedRate"), steps["wait"].Long("dropped")));
        Assert.Equal((1, 0.25, 0), (steps["call"].Long("reached"), steps["call"].Double("reachedRate"), steps["call"].Long("dropped")));
        Assert.Equal("CreateTask", steps["call"].GetProperty("activityType").GetString());
        Assert.Equal(["email", "start", "wait", "call"], total.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("activityId").GetString()));
    }

    [Fact]
    public async Task Goal_rate_counts_each_run_once_on_its_start_day_and_variants_convert_separately()
    {
        var playbook = Unique("adopt");
        var start = At(2026, 10, 8, 9);
        var g = Enumerable.Range(1, 7).Select(i => Unique($"g{i}")).ToArray();
        await suite.PublishAsync(
            Started(g[0], playbook, 1, "acct-g", start),
            Started(g[1], playbook, 1, "acct-g", start, variant: "A"),
            Started(g[2], playbook, 1, "acct-g", start),
            Started(g[3], playbook, 1, "acct-g", start),
            Started(g[4], playbook, 1, "acct-g", start),
            Started(g[5], playbook, 1, "acct-g", start),
            Started(g[6], playbook, 1, "acct-g", start, variant: "B"));
        await suite.PublishAsync(
            // g1 reaches the goal before its variant is known (the engine's goal event carries none), then completes in A.
            Run(EventTypes.GoalReached, g[0], playbook, 1, "acct-g", start, start.AddDays(3), reason: "usage.recovered"),
            Run(EventTypes.InstanceCompleted, g[0], playbook, 1, "acct-g", start, start.AddDays(4), variant: "A"),
            Run(EventTypes.InstanceCompleted, g[1], playbook, 1, "acct-g", start, start.AddDays(4), variant: "A"),
            // g3 completes in B and reaches the goal twelve days later: still its start day's cohort.
            Run(EventTypes.InstanceCompleted, g[2], playbook, 1, "acct-g", start, start.AddDays(4), variant: "B"),
            Run(EventTypes.GoalReached, g[2], playbook, 1, "acct-g", start, start.AddDays(12), reason: "usage.recovered"),
            Run(EventTypes.InstanceCompleted, g[3], playbook, 1, "acct-g", start, start.AddDays(4), variant: "B"),
            // g6's goal arrives twice (two event ids): one run, one goal.
            Run(EventTypes.GoalReached, g[5], playbook, 1, "acct-g", start, start.AddDays(2), reason: "usage.recovered"),
            Run(EventTypes.GoalReached, g[5], playbook, 1, "acct-g", start, start.AddDays(2), reason: "usage.recovered"),
            Run(EventTypes.GoalReached, g[6], playbook, 1, "acct-g", start, start.AddDays(5), reason: "usage.recovered"));

        var goals = await suite.KpiAsync("goals", $"from=2026-10-01&to=2026-10-31&playbook={playbook}&groupBy=playbook");
        var group = goals.Group(("playbook", playbook));
        // Goals: g1, g3, g6, g7 = 4 of 7 runs started = 0.5714, all on the start day.
        Assert.Equal((7, 4, 0.5714), (group.Total().Long("runsStarted"), group.Total().Long("goalReached"), group.Total().Double("goalRate")));
        Assert.Equal(4, group.Bucket("2026-10-08").Long("goalReached"));
        Assert.Single(group.GetProperty("buckets").EnumerateArray());

        var variants = await suite.KpiAsync("variants", $"from=2026-10-01&to=2026-10-31&playbook={playbook}&groupBy=variant");
        // A: g1 (goal), g2 → 1 of 2. B: g3 (goal), g4, g7 (goal) → 2 of 3. g5 and g6 never got a variant.
        var a = variants.Group(("variant", "A")).Total();
        var b = variants.Group(("variant", "B")).Total();
        Assert.Equal((2, 1, 0.5), (a.Long("runs"), a.Long("goalReached"), a.Double("goalRate")));
        Assert.Equal((3, 2, 0.6667), (b.Long("runs"), b.Long("goalReached"), b.Double("goalRate")));
        Assert.Equal(2, variants.GetProperty("groups").GetArrayLength());
    }
}
