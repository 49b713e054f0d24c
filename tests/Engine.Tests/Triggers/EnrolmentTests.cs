using System.Net;
using Playbooks.Engine.Tests.Support;
using Xunit;
using static Playbooks.Engine.Tests.Triggers.TriggerTestSupport;

namespace Playbooks.Engine.Tests.Triggers;

[Collection(EngineSuiteCollection.Name)]
public sealed class EnrolmentTests(EngineSuiteFixture suite)
{
    [Fact]
    public async Task At_most_one_running_instance_per_account_by_default()
    {
        var type = UniqueEventType();
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("cap")).Trigger(new { kind = "event", eventType = type }));
        var account = await suite.AddAccountAsync();
        var second = EngineSuiteFixture.Unique("second");

        await PostEventsAsync(suite, new[] { new { id = EngineSuiteFixture.Unique("first"), type, accountId = account }, new { id = second, type, accountId = account } });
        await WaitProcessedAsync(suite, second);

        Assert.Single(await RunsAsync(suite, id, account));
        var (manual, problem) = await suite.PostJsonAsync("/api/engine/instances", new { definitionId = id, accountId = account });
        Assert.Equal(HttpStatusCode.Conflict, manual.StatusCode);
        Assert.Contains("already has 1 running", problem.Text("detail"));
    }

    [Fact]
    public async Task At_most_n_runs_per_period_counts_finished_runs_too()
    {
        var type = UniqueEventType();
        var id = await suite.CreatePublishedAsync(Playbook.Chain(EngineSuiteFixture.Unique("period"), ("end", "End", null))
            .Trigger(new { kind = "event", eventType = type })
            .Enrolment(new { maxActivePerAccount = 5, maxRunsPerPeriod = 2, periodDays = 30 }));
        var account = await suite.AddAccountAsync();
        var last = EngineSuiteFixture.Unique("e3");

        foreach (var eventId in new[] { EngineSuiteFixture.Unique("e1"), EngineSuiteFixture.Unique("e2"), last })
        {
            await PostEventsAsync(suite, new { id = eventId, type, accountId = account });
            await WaitProcessedAsync(suite, eventId);
        }

        Assert.Equal(2, (await RunsAsync(suite, id, account)).Count);
    }

    [Fact]
    public async Task A_snoozed_account_is_not_enrolled_until_woken()
    {
        var type = UniqueEventType();
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("snooze")).Trigger(new { kind = "event", eventType = type }));
        var account = await suite.AddAccountAsync();
        var (snoozed, _) = await suite.PostJsonAsync($"/api/engine/definitions/{id}/snoozes", new { accountId = account, until = DateTimeOffset.UtcNow.AddDays(30), reason = "Busy quarter" });
        Assert.Equal(HttpStatusCode.NoContent, snoozed.StatusCode);
        var whileSnoozed = EngineSuiteFixture.Unique("during");

        await PostEventsAsync(suite, new { id = whileSnoozed, type, accountId = account });
        await WaitProcessedAsync(suite, whileSnoozed);
        Assert.Empty(await RunsAsync(suite, id, account));
        var (manual, problem) = await suite.PostJsonAsync("/api/engine/instances", new { definitionId = id, accountId = account });
        Assert.Equal(HttpStatusCode.Conflict, manual.StatusCode);
        Assert.Contains("Busy quarter", problem.Text("detail"));

        var woken = await suite.Client.DeleteAsync($"/api/engine/definitions/{id}/snoozes/{account}");
        Assert.Equal(HttpStatusCode.NoContent, woken.StatusCode);
        await PostEventsAsync(suite, new { id = EngineSuiteFixture.Unique("after"), type, accountId = account });
        Assert.Single(await RunsEventuallyAsync(suite, id, 1, account));
    }

    [Fact]
    public async Task A_person_starts_a_playbook_for_every_account_a_filter_selects()
    {
        var segment = $"seg{Guid.NewGuid().ToString("N")[..6]}";
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("bulk")));
        var big = await suite.AddAccountAsync(a => { a["segment"] = segment; a["arr"] = 500000; });
        await suite.AddAccountAsync(a => { a["segment"] = segment; a["arr"] = 1000; });
        await suite.AddAccountAsync();

        var (response, report) = await suite.PostJsonAsync($"/api/engine/definitions/{id}/start", new { segment, condition = "account.arr > 100000" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, report.GetProperty("started").GetInt32());
        Assert.Equal(1, report.GetProperty("skipped").GetInt32());
        Assert.Equal(big, (await RunsAsync(suite, id)).Single().Text("accountId"));
    }
}
