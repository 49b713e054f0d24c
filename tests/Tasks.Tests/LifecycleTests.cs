using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Tasks.Tests;

/// <summary>What the engine asks of tasks it created: escalate one, or cancel a run's tasks.</summary>
public sealed class LifecycleTests(TasksSuite suite) : IClassFixture<TasksSuite>
{
    [Fact]
    public async Task Cancelling_a_run_cancels_its_open_and_snoozed_tasks_and_leaves_done_ones()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskCancelled);
        var open = await suite.RequestTaskAsync(Requests.Task(activityId: "kickoff"));
        var run = open.Task.InstanceId;
        var snoozed = await suite.RequestTaskAsync(Requests.Task(instanceId: run, activityId: "follow-up"));
        var done = await suite.RequestTaskAsync(Requests.Task(instanceId: run, activityId: "survey"));
        var otherRun = await suite.RequestTaskAsync(Requests.Task());
        await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{snoozed.Task.Id}/snooze", new { until = TasksSuite.Start.AddDays(1) });
        await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{done.Task.Id}/complete", new { outcome = "held" });
        var cancel = TasksSuite.Envelope(EventTypes.InstanceTasksCancellationRequested, open.Task.AccountId,
            new InstanceTasksCancellationRequested(run, "Playbook disabled by CS Ops"));

        await suite.PublishAsync(cancel);
        await suite.PublishAsync(cancel);

        var statuses = (await suite.ListAsync($"instance={run}")).Items.ToDictionary(t => t.Id, t => t.Status);
        Assert.Equal(TaskStatuses.Cancelled, statuses[open.Task.Id]);
        Assert.Equal(TaskStatuses.Cancelled, statuses[snoozed.Task.Id]);
        Assert.Equal(TaskStatuses.Done, statuses[done.Task.Id]);
        Assert.Equal(TaskStatuses.Open, (await suite.GetTaskAsync(otherRun.Task.Id)).Task.Status);
        await bus.WaitForAsync(EventTypes.TaskCancelled, e => e.TaskId == open.Task.Id);
        await bus.WaitForAsync(EventTypes.TaskCancelled, e => e.TaskId == snoozed.Task.Id);
        await Task.Delay(200);
        Assert.Equal(2, bus.TaskEvents(e => e.InstanceId == run).Count);
        var cancelled = await suite.GetTaskAsync(open.Task.Id);
        Assert.Equal("Playbook disabled by CS Ops", cancelled.Task.Note);
        Assert.Contains("Playbook disabled by CS Ops", cancelled.History.Last().Detail);
    }

    [Fact]
    public async Task A_task_requested_after_its_runs_cancellation_was_handled_is_cancelled_at_once_and_a_redelivery_changes_nothing()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskCreated, EventTypes.TaskCancelled);
        var request = Requests.Task(activityId: "kickoff");
        var run = request.InstanceId;
        // The run ended and its cancellation was handled, then its task request came (retried after a failure, or on
        // another replica of this service).
        await suite.PublishAsync(TasksSuite.Envelope(EventTypes.InstanceTasksCancellationRequested, request.Account.Id,
            new InstanceTasksCancellationRequested(run, "The customer churned")));
        var requested = TasksSuite.Envelope(EventTypes.TaskRequested, request.Account.Id, request);

        await suite.PublishAsync(requested);
        await suite.PublishAsync(requested);

        var task = Assert.Single((await suite.ListAsync($"instance={run}")).Items);
        Assert.Equal(TaskStatuses.Cancelled, task.Status);
        await bus.WaitForAsync(EventTypes.TaskCancelled, e => e.TaskId == task.Id);
        await Task.Delay(200);
        Assert.Equal([EventTypes.TaskCreated, EventTypes.TaskCancelled], bus.TaskEvents(e => e.InstanceId == run).Select(e => e.Type));
        Assert.Contains("ended before its task was created", (await suite.GetTaskAsync(task.Id)).History.Last().Detail);
    }

    [Fact]
    public async Task Escalation_raises_the_priority_and_records_the_reason()
    {
        var task = await suite.RequestTaskAsync(Requests.Task(priority: "normal"));

        await suite.PublishAsync(TasksSuite.Envelope(EventTypes.TaskEscalationRequested, task.Task.AccountId,
            new TaskEscalationRequested(task.Task.InstanceId, "kickoff", "urgent", "No answer in 3 days")));

        var after = await suite.GetTaskAsync(task.Task.Id);
        Assert.Equal("urgent", after.Task.Priority);
        var entry = after.History.Last();
        Assert.Equal(("escalated", "normal", "urgent"), (entry.Kind, entry.From, entry.To));
        Assert.Contains("No answer in 3 days", entry.Detail);
    }
}
