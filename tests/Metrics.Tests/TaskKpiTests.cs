using Playbooks.Messaging.Contracts;
using Xunit;
using static Playbooks.Metrics.Tests.Events;

namespace Playbooks.Metrics.Tests;

[Collection(MetricsCollection.Name)]
public sealed class TaskKpiTests(MetricsSuite suite)
{
    [Fact]
    public async Task Tasks_per_csm_and_team_count_on_time_completions_against_due_dates_and_time_to_complete()
    {
        var (csm, other, team) = ($"{Unique("csm")}@example.com", $"{Unique("csm")}@example.com", Unique("team"));
        var created = At(2026, 10, 12, 9);
        var t = Enumerable.Range(1, 7).Select(i => Unique($"task{i}")).ToArray();
        (string Id, string Csm, DateTimeOffset? Due)[] tasks =
        [
            (t[0], csm, At(2026, 10, 14, 17)), (t[1], csm, At(2026, 10, 13, 17)), (t[2], csm, At(2026, 10, 12, 17)), (t[3], csm, null),
            (t[4], csm, At(2026, 10, 12, 12)), (t[5], csm, At(2026, 10, 20)), (t[6], other, At(2026, 10, 12, 18)),
        ];
        foreach (var (id, who, due) in tasks) await suite.PublishAsync(TaskChange(EventTypes.TaskCreated, id, who, team, created, due, created));

        await suite.PublishAsync(
            Completed(t[0], csm, team, created, At(2026, 10, 14, 17), At(2026, 10, 13, 9)),   // on time, 24 h
            Completed(t[1], csm, team, created, At(2026, 10, 13, 17), At(2026, 10, 13, 17)),  // exactly at due: on time, 32 h
            TaskChange(EventTypes.TaskOverdue, t[2], csm, team, created, At(2026, 10, 12, 17), At(2026, 10, 12, 17)),
            Completed(t[2], csm, team, created, At(2026, 10, 12, 17), At(2026, 10, 13, 21)),  // late, 36 h
            Completed(t[3], csm, team, created, null, At(2026, 10, 12, 11)),                  // no due date, 2 h
            TaskChange(EventTypes.TaskOverdue, t[4], csm, team, created, At(2026, 10, 12, 12), At(2026, 10, 12, 12)),
            TaskChange(EventTypes.TaskCancelled, t[4], csm, team, created, At(2026, 10, 12, 12), At(2026, 10, 12, 13)),
            Completed(t[6], other, team, created, At(2026, 10, 12, 18), At(2026, 10, 12, 10)));   // on time, 1 h

        var byCsm = await suite.KpiAsync("tasks", "from=2026-10-12&to=2026-10-13&groupBy=csm&bucket=day");
        var mine = byCsm.Group(("csm", csm)).Total();
        // Created 6; completed 4, of which 3 had a due date and 2 met it: 2 ÷ 3 = 0.6667; overdue 2; cancelled 1.
        Assert.Equal((6, 4, 3, 2, 0.6667), (mine.Long("created"), mine.Long("completed"), mine.Long("completedWithDue"), mine.Long("completedOnTime"), mine.Double("onTimeRate")));
        Assert.Equal((2, 1), (mine.Long("overdue"), mine.Long("cancelled")));
        // Times to complete 2 h, 24 h, 32 h, 36 h: median = 2nd of 4 = 24 h; p90 = ⌈3.6⌉ = 4th = 36 h.
        Figures.WithinOnePercent(TimeSpan.FromHours(24), mine.Long("completionMedianMs"));
        Figures.WithinOnePercent(TimeSpan.FromHours(36), mine.Long("completionP90Ms"));
        // Completions land on the day they happened: t4 on the 12th, t1, t2 and t3 on the 13th.
        Assert.Equal(1, byCsm.Group(("csm", csm)).Bucket("2026-10-12").Long("completed"));
        Assert.Equal(3, byCsm.Group(("csm", csm)).Bucket("2026-10-13").Long("completed"));

        var byTeam = await suite.KpiAsync("tasks", "from=2026-10-12&to=2026-10-13&groupBy=team&bucket=none");
        var ours = byTeam.Group(("team", team)).Total();
        // With the other CSM's task: created 7, completed 5, 4 with a due date, 3 on time = 0.75; times 1, 2, 24, 32, 36 h → median 24 h, p90 36 h.
        Assert.Equal((7, 5, 4, 3, 0.75), (ours.Long("created"), ours.Long("completed"), ours.Long("completedWithDue"), ours.Long("completedOnTime"), ours.Double("onTimeRate")));
        Figures.WithinOnePercent(TimeSpan.FromHours(24), ours.Long("completionMedianMs"));
        Figures.WithinOnePercent(TimeSpan.FromHours(36), ours.Long("completionP90Ms"));
        Assert.Empty(byTeam.Group(("team", team)).GetProperty("buckets").EnumerateArray());
    }

    private static Messaging.EventEnvelope Completed(string id, string csm, string team, DateTimeOffset created, DateTimeOffset? due, DateTimeOffset at) =>
        TaskChange(EventTypes.TaskCompleted, id, csm, team, created, due, at, completedAt: at);
}
