using System.Net;
using Playbooks.Engine.Tests.Support;
using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Engine.Tests.Instances;

/// <summary>What SREs and CS Ops see of runs: lists with filters and paging, one run with its journal and waits, cancel.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class InstancesApiTests(EngineSuiteFixture suite)
{
    private static Playbook Waiting(string prefix) =>
        Playbook.Chain(EngineSuiteFixture.Unique(prefix),
                ("kickoff", "CreateTask", new { title = "Kickoff", dueIn = "P3D", outcomes = new[] { "held" } }),
                ("wait", "WaitForTask", new { task = "kickoff", timeout = "P30D" }))
            .Activity("end", "End")
            .Connect("wait", "end", "held")
            .Connect("wait", "end", "Timeout")
            .ManyRunsPerAccount();

    private static IReadOnlyList<string?> Ids(System.Text.Json.JsonElement page) => [.. page.Items("items").Select(i => i.Text("id"))];

    [Fact]
    public async Task Runs_are_listed_by_playbook_version_account_and_status_a_page_at_a_time()
    {
        var playbook = Waiting("listed");
        await suite.CreatePublishedAsync(playbook);
        var (acme, globex) = (await suite.AddAccountAsync(), await suite.AddAccountAsync());
        var first = await suite.StartAsync(playbook.Id, acme);
        var second = await suite.StartAsync(playbook.Id, acme);
        await suite.PublishAsync(playbook.Id, "v2");
        var third = await suite.StartAsync(playbook.Id, globex);
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(first.Text("id")!, acme, "kickoff", "held"));
        await suite.WaitForStatusAsync(first.Text("id")!, "completed");

        var all = await suite.GetJsonAsync($"{EngineSuiteFixture.Instances}?definitionId={playbook.Id}");
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal([third.Text("id"), second.Text("id"), first.Text("id")], Ids(all));

        var v1 = await suite.GetJsonAsync($"{EngineSuiteFixture.Instances}?definitionId={playbook.Id}&version=1");
        Assert.Equal([second.Text("id"), first.Text("id")], Ids(v1));

        var ofGlobex = await suite.GetJsonAsync($"{EngineSuiteFixture.Instances}?accountId={globex}");
        Assert.Equal([third.Text("id")], Ids(ofGlobex));
        Assert.Equal(2, ofGlobex.Items("items")[0].GetProperty("version").GetInt32());

        var running = await suite.GetJsonAsync($"{EngineSuiteFixture.Instances}?definitionId={playbook.Id}&status=Running");
        Assert.Equal([third.Text("id"), second.Text("id")], Ids(running));
        var completed = await suite.GetJsonAsync($"{EngineSuiteFixture.Instances}?definitionId={playbook.Id}&status=completed");
        Assert.Equal([first.Text("id")], Ids(completed));

        var page1 = await suite.GetJsonAsync($"{EngineSuiteFixture.Instances}?definitionId={playbook.Id}&take=2");
        var page2 = await suite.GetJsonAsync($"{EngineSuiteFixture.Instances}?definitionId={playbook.Id}&take=2&skip=2");
        Assert.Equal((3, 0, 2), (page1.GetProperty("total").GetInt32(), page1.GetProperty("skip").GetInt32(), page1.GetProperty("take").GetInt32()));
        Assert.Equal([third.Text("id"), second.Text("id")], Ids(page1));
        Assert.Equal([first.Text("id")], Ids(page2));
    }

    [Fact]
    public async Task A_run_shows_its_journal_and_what_it_waits_for()
    {
        var playbook = Waiting("shown");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        var started = await suite.StartAsync(playbook.Id, account);

        var instance = await suite.InstanceAsync(started.Text("id")!);

        Assert.Equal((playbook.Id, 1, account, "running"), (instance.Text("definitionId"), instance.GetProperty("version").GetInt32(), instance.Text("accountId"), instance.Text("status")));
        var journal = instance.Items("journal").Select(j => (j.Text("activityId"), j.Text("activityType"), j.Text("status"))).ToList();
        Assert.Equal([("start", "Start", "completed"), ("kickoff", "CreateTask", "completed"), ("wait", "WaitForTask", "waiting")], journal);
        var kickoff = instance.JournalOf("kickoff")[0];
        Assert.Equal("Kickoff", kickoff.GetProperty("inputs").Text("title"));
        Assert.Equal("kickoff", kickoff.GetProperty("output").Text("taskRef"));
        Assert.Equal("aiko@playbooks.example", kickoff.GetProperty("output").Text("assignee"));
        var waits = instance.Items("waits").Select(w => (w.Text("activityId"), w.Text("kind"))).Order().ToList();
        Assert.Equal([("wait", "task"), ("wait", "timer")], waits);
        var timer = instance.Items("waits").Single(w => w.Text("kind") == "timer");
        var timeout = timer.GetProperty("dueAt").GetDateTimeOffset() - instance.GetProperty("createdAt").GetDateTimeOffset();
        Assert.InRange(timeout, TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1), TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_unknown_run_is_not_found()
    {
        var response = await suite.Client.GetAsync($"{EngineSuiteFixture.Instances}/no-such-run");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cancelling_a_run_drops_its_waits_and_asks_for_its_open_tasks_to_be_cancelled()
    {
        var playbook = Waiting("cancelled");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        using var bus = suite.RecordBus();
        var started = await suite.StartAsync(playbook.Id, account);
        var id = started.Text("id")!;

        var (response, cancelled) = await suite.PostJsonAsync($"{EngineSuiteFixture.Instances}/{id}/cancel", new { reason = "Customer churned" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", cancelled.Text("status"));
        Assert.Equal("Customer churned", cancelled.Text("endReason"));
        Assert.Empty(cancelled.Items("waits"));
        var request = await bus.WaitForAsync(EventTypes.InstanceTasksCancellationRequested, account);
        Assert.Equal(id, request.Data.Text("instanceId"));
        Assert.Equal("Customer churned", request.Data.Text("reason"));
        await bus.WaitForAsync(EventTypes.InstanceCancelled, account);

        // A task completed after the cancel changes nothing.
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "held"));
        var after = await suite.InstanceAsync(id);
        Assert.Equal("cancelled", after.Text("status"));
        Assert.Empty(after.JournalOf("end"));
    }

    [Fact]
    public async Task Starting_a_second_run_for_an_account_already_in_the_playbook_is_refused()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("once"), ("pause", "Delay", new { duration = "P1D" }));
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        await suite.StartAsync(playbook.Id, account);

        var (response, problem) = await suite.PostJsonAsync(EngineSuiteFixture.Instances, new { definitionId = playbook.Id, accountId = account });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"Account '{account}' already has 1 running instance(s) of '{playbook.Id}' (at most 1).", problem.Text("detail"));
    }

    [Fact]
    public async Task A_run_tells_the_other_services_it_started_and_which_activities_it_reached()
    {
        var playbook = Waiting("announced");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        using var bus = suite.RecordBus();

        var started = await suite.StartAsync(playbook.Id, account);

        var announced = await bus.WaitForAsync(EventTypes.InstanceStarted, account);
        Assert.Equal(started.Text("id"), announced.Data.Text("instanceId"));
        // The first burst's activities, in the order reached, in one event.
        var reached = await bus.WaitForAsync(EventTypes.ActivitiesReached, account);
        Assert.Equal(started.Text("id"), reached.Data.Text("instanceId"));
        Assert.Equal(["start", "kickoff", "wait"], reached.Data.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("activityId").GetString()));
        Assert.Single(bus.Of(EventTypes.ActivitiesReached, account));
        Assert.Empty(bus.Of(EventTypes.ActivityReached, account));
    }

    private static Task SuiteWait(Func<bool> condition) => TestSupport.SuiteFixture.EventuallyAsync(() => Task.FromResult(condition()), ok => ok);
}
