using Playbooks.Engine.Tests.Support;
using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Engine.Tests.Activities;

/// <summary>CreateTask, WaitForTask and Escalate in real runs: the engine asks the Tasks service over the bus and resumes on its answers.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class TaskActivityTests(EngineSuiteFixture suite)
{
    private static Playbook Kickoff(bool overduePort = false)
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("kickoff"),
                ("kickoff", "CreateTask", new
                {
                    title = "Hold kickoff with {{ account.name }}",
                    description = "Renewal on {{ account.renewalDate }}, ARR {{ account.arr }}",
                    dueIn = "P2D",
                    priority = "high",
                    assignee = new { kind = "owner" },
                    outcomes = new[] { "held", "rescheduled", "no-show" },
                    checklist = new[] { "Agenda sent", "Success plan agreed" },
                }),
                ("wait", "WaitForTask", new { task = "kickoff" }))
            .Activity("held", "End")
            .Activity("noShow", "Escalate", new { task = "kickoff", reason = "Kickoff no-show at {{ account.name }}" })
            .Activity("done", "End")
            .Connect("wait", "held", "held")
            .Connect("wait", "noShow", "no-show")
            .Connect("noShow", "done");
        if (overduePort) playbook.Activity("late", "End").Connect("wait", "late", "Overdue");
        return playbook;
    }

    [Fact]
    public async Task CreateTask_asks_the_Tasks_service_for_a_task_with_the_rendered_title_due_date_and_outcomes()
    {
        var playbook = Kickoff();
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        using var bus = suite.RecordBus();

        var instance = await suite.StartAsync(playbook.Id, account);

        var requested = await bus.WaitForAsync(EventTypes.TaskRequested, account);
        var task = requested.Data;
        Assert.Equal("engine", requested.Source);
        Assert.Equal(instance.Text("id"), task.Text("instanceId"));
        Assert.Equal("kickoff", task.Text("activityId"));
        Assert.Equal(playbook.Id, task.Text("definitionId"));
        Assert.Equal(1, task.GetProperty("version").GetInt32());
        Assert.Equal("Hold kickoff with Acme K.K.", task.Text("title"));
        Assert.Equal("Renewal on 2027-06-30, ARR 120000", task.Text("description"));
        Assert.Equal("owner", task.GetProperty("assignee").Text("kind"));
        Assert.Equal("high", task.Text("priority"));
        Assert.Equal(["held", "rescheduled", "no-show"], task.Items("outcomes").Select(o => o.GetString()));
        Assert.Equal(["Agenda sent", "Success plan agreed"], task.Items("checklist").Select(o => o.GetString()));
        Assert.Equal(account, task.GetProperty("account").Text("id"));
        var due = task.GetProperty("dueAt").GetDateTimeOffset();
        var created = instance.GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(2), due - created);

        var wait = Assert.Single(instance.Items("waits"));
        Assert.Equal(("wait", "task", $"task:{instance.Text("id")}:kickoff"), (wait.Text("activityId"), wait.Text("kind"), wait.Text("key")));
    }

    [Theory]
    [InlineData("held", "held")]
    [InlineData("No-Show", "noShow")]
    public async Task A_completed_task_resumes_the_run_on_the_branch_of_its_outcome(string outcome, string branch)
    {
        var playbook = Kickoff();
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        var instance = await suite.StartAsync(playbook.Id, account);

        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(instance.Text("id")!, account, "kickoff", outcome));

        var done = await suite.WaitForStatusAsync(instance.Text("id")!, "completed");
        var resumed = Assert.Single(done.JournalOf("wait"), j => j.Text("status") == "resumed");
        Assert.Equal(outcome.ToLowerInvariant(), resumed.Text("outcome"));
        Assert.Equal(outcome, resumed.GetProperty("output").Text("outcome"));
        Assert.Single(done.JournalOf(branch));
    }

    [Fact]
    public async Task A_task_completed_with_an_outcome_it_does_not_allow_faults_the_wait()
    {
        var playbook = Kickoff();
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        var instance = await suite.StartAsync(playbook.Id, account);

        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(instance.Text("id")!, account, "kickoff", "cancelled"));

        var faulted = await suite.WaitForStatusAsync(instance.Text("id")!, "faulted");
        Assert.Equal("The task was completed with 'cancelled', which is not one of its outcomes (held, rescheduled, no-show).",
            faulted.GetProperty("fault").Text("message"));
    }

    [Fact]
    public async Task An_overdue_task_takes_the_Overdue_port_when_it_is_connected()
    {
        var playbook = Kickoff(overduePort: true);
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        var instance = await suite.StartAsync(playbook.Id, account);

        await suite.PublishAsync(EngineSuiteFixture.TaskOverdue(instance.Text("id")!, account, "kickoff"));

        var done = await suite.WaitForStatusAsync(instance.Text("id")!, "completed");
        Assert.Equal("Overdue", done.JournalOf("wait").Single(j => j.Text("status") == "resumed").Text("outcome"));
        Assert.Single(done.JournalOf("late"));
    }

    [Fact]
    public async Task An_overdue_task_without_an_Overdue_port_keeps_the_run_waiting_for_the_outcome()
    {
        var playbook = Kickoff();
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        var instance = await suite.StartAsync(playbook.Id, account);
        var id = instance.Text("id")!;

        await suite.PublishAsync(EngineSuiteFixture.TaskOverdue(id, account, "kickoff"));

        var still = await suite.InstanceAsync(id);
        Assert.Equal("running", still.Text("status"));
        Assert.Single(still.Items("waits"));
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "held"));
        await suite.WaitForStatusAsync(id, "completed");
    }

    [Fact]
    public async Task WaitForTask_times_out_on_its_Timeout_port()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("task-timeout"),
                ("call", "CreateTask", new { title = "Call {{ account.name }}" }),
                ("wait", "WaitForTask", new { task = "call", timeout = "P3D" }))
            .Activity("done", "End").Activity("chase", "End")
            .Connect("wait", "done", "done")
            .Connect("wait", "chase", "Timeout");

        var result = await suite.SimulateDraftAsync(playbook);

        Assert.Contains(("activity", "wait", "Timeout", 3d), result.Timeline());
        Assert.Equal("chase", result.PathOf()[^1]);
    }

    [Fact]
    public async Task Escalate_raises_the_task_priority_and_tells_the_manager_by_email_and_chat()
    {
        var playbook = Kickoff();
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        using var bus = suite.RecordBus();
        var instance = await suite.StartAsync(playbook.Id, account);

        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(instance.Text("id")!, account, "kickoff", "no-show"));

        var escalation = (await bus.WaitForAsync(EventTypes.TaskEscalationRequested, account)).Data;
        Assert.Equal(instance.Text("id"), escalation.Text("instanceId"));
        Assert.Equal("kickoff", escalation.Text("taskActivityId"));
        Assert.Equal("urgent", escalation.Text("priority"));
        Assert.Equal("Kickoff no-show at Acme K.K.", escalation.Text("reason"));
        await SuiteFixtureWait(() => bus.Of(EventTypes.NotificationRequested, account).Count == 2);
        var notes = bus.Of(EventTypes.NotificationRequested, account).Select(e => e.Data).ToList();
        Assert.Equal(["chat", "email"], notes.Select(n => n.Text("channel")).Order());
        Assert.All(notes, n => Assert.Equal("escalation-to-manager", n.Text("template")));
        Assert.All(notes, n => Assert.Equal("manager", n.Items("recipients").Single().Text("kind")));
        Assert.All(notes, n => Assert.Equal("Kickoff no-show at Acme K.K.", n.GetProperty("variables").Text("reason")));
    }

    [Fact]
    public async Task A_CreateTask_that_faulted_and_is_retried_asks_for_the_same_task_not_a_second_one()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("retry-task"),
                ("kickoff", "CreateTask", new { title = "Kickoff for the {{ account.custom.tier.name }} tier", outcomes = new[] { "held" } }),
                ("wait", "WaitForTask", new { task = "kickoff" }))
            .Activity("end", "End").Connect("wait", "end", "held");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        using var bus = suite.RecordBus();
        var id = (await suite.StartAsync(playbook.Id, account)).Text("id")!;
        await suite.PostJsonAsync("/api/engine/accounts", EngineSuiteFixture.NewAccount(account, a => a["custom"] = new System.Text.Json.Nodes.JsonObject
        {
            ["tier"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "gold" },
        }));

        var (_, retried) = await suite.PostJsonAsync($"{EngineSuiteFixture.Instances}/{id}/retry", null);

        Assert.Equal("running", retried.Text("status"));
        var requested = await bus.WaitForAsync(EventTypes.TaskRequested, account);
        Assert.Equal(("kickoff", "Kickoff for the gold tier"), (requested.Data.Text("activityId"), requested.Data.Text("title")));
        Assert.Equal($"task:{id}:kickoff", Assert.Single(retried.Items("waits")).Text("key"));
    }

    private static Task SuiteFixtureWait(Func<bool> condition) =>
        TestSupport.SuiteFixture.EventuallyAsync(() => Task.FromResult(condition()), ok => ok);
}
