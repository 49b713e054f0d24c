using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Tasks.Tests;

public sealed class CreationTests(TasksSuite suite) : IClassFixture<TasksSuite>
{
    [Fact]
    public async Task Task_requested_by_a_playbook_is_created_with_every_field()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskCreated);
        var account = Requests.Account(owner: "Olivia.Owner@Example.com");
        var due = TasksSuite.Start.AddDays(3);
        var request = Requests.Task(account, due: due, priority: "High", outcomes: ["held", "rescheduled", "no-show"],
            checklist: ["Send the agenda", "Book the room"]);

        var detail = await suite.RequestTaskAsync(request);

        var task = detail.Task;
        Assert.Equal("Hold kickoff", task.Title);
        Assert.Equal("Meet Ann Admin at Acme Corp to agree the rollout plan.", task.Description);
        Assert.Equal(TaskStatuses.Open, task.Status);
        Assert.False(task.Overdue);
        Assert.Equal("high", task.Priority);
        Assert.Equal("olivia.owner@example.com", task.Assignee);
        Assert.Equal("enterprise", task.Team);
        Assert.Equal(due, task.DueAt);
        Assert.Equal(["held", "rescheduled", "no-show"], task.Outcomes);
        Assert.Equal(account.Id, task.AccountId);
        Assert.Equal("Acme Corp", task.AccountName);
        Assert.Equal(request.InstanceId, task.InstanceId);
        Assert.Equal("kickoff", task.ActivityId);
        Assert.Equal("enterprise-kickoff", task.DefinitionId);
        Assert.Equal(3, task.DefinitionVersion);
        Assert.Equal("Enterprise kickoff", task.PlaybookName);
        Assert.Equal(TasksSuite.Start, task.CreatedAt);
        Assert.Equal(["Send the agenda", "Book the room"], detail.Checklist.Select(i => i.Text));
        Assert.All(detail.Checklist, item => Assert.False(item.Done));
        var created = Assert.Single(detail.History);
        Assert.Equal("created", created.Kind);
        Assert.Contains("owner CSM of Acme Corp", created.Detail);

        var published = await bus.WaitForAsync(EventTypes.TaskCreated, e => e.TaskId == task.Id);
        Assert.Equal("tasks", published.Envelope.Source);
        Assert.Equal(account.Id, published.Envelope.AccountId);
        Assert.Equal(request.InstanceId, published.Task.InstanceId);
        Assert.Equal("olivia.owner@example.com", published.Task.Assignee);
        Assert.Equal(due, published.Task.DueAt);
    }

    [Fact]
    public async Task The_same_create_message_delivered_twice_makes_one_task()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskCreated);
        var request = Requests.Task();
        var envelope = TasksSuite.Envelope(EventTypes.TaskRequested, request.Account.Id, request);

        await suite.PublishAsync(envelope);
        await suite.PublishAsync(envelope);
        // The engine retrying under a new event id (e.g. after its own crash) must not make a second task either.
        await suite.PublishAsync(TasksSuite.Envelope(EventTypes.TaskRequested, request.Account.Id, request));

        var page = await suite.ListAsync($"instance={request.InstanceId}");
        var task = Assert.Single(page.Items);
        Assert.Equal(1, page.Total);
        await bus.WaitForAsync(EventTypes.TaskCreated, e => e.InstanceId == request.InstanceId);
        await Task.Delay(300);
        Assert.Single(bus.TaskEvents(e => e.InstanceId == request.InstanceId));
        Assert.Single((await suite.GetTaskAsync(task.Id)).History);
    }

    [Fact]
    public async Task Two_activities_of_one_run_make_two_tasks()
    {
        var first = Requests.Task(activityId: "kickoff");
        var second = first with { ActivityId = "follow-up", Title = "Send the kickoff summary" };

        await suite.RequestTaskAsync(first);
        await suite.RequestTaskAsync(second);

        var page = await suite.ListAsync($"instance={first.InstanceId}");
        Assert.Equal(["follow-up", "kickoff"], page.Items.Select(t => t.ActivityId).Order());
    }

    [Fact]
    public async Task A_request_without_a_due_date_or_checklist_makes_a_task_that_never_falls_due()
    {
        var detail = await suite.RequestTaskAsync(Requests.Task(outcomes: [], checklist: []) with { DueAt = null });

        Assert.Null(detail.Task.DueAt);
        Assert.Empty(detail.Task.Outcomes);
        Assert.Empty(detail.Checklist);
    }
}
