using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Tasks.Tests;

/// <summary>These tests move the suite's clock, so they have a suite of their own.</summary>
public sealed class OverdueTests(TasksSuite suite) : IClassFixture<TasksSuite>
{
    [Fact]
    public async Task An_open_task_becomes_overdue_at_its_due_time_and_task_overdue_is_published()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskOverdue);
        var due = suite.Clock.GetUtcNow().AddHours(1);
        var task = await suite.RequestTaskAsync(Requests.Task(due: due));

        suite.Clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(300);
        Assert.False((await suite.GetTaskAsync(task.Task.Id)).Task.Overdue);
        Assert.Empty(bus.TaskEvents(e => e.TaskId == task.Task.Id));

        suite.Clock.Advance(TimeSpan.FromMinutes(2));
        var overdue = await bus.WaitForAsync(EventTypes.TaskOverdue, e => e.TaskId == task.Task.Id);

        Assert.Equal(due, overdue.Task.DueAt);
        Assert.Equal(task.Task.InstanceId, overdue.Task.InstanceId);
        Assert.Equal(task.Task.AccountId, overdue.Envelope.AccountId);
        var after = await suite.GetTaskAsync(task.Task.Id);
        Assert.True(after.Task.Overdue);
        Assert.Equal(TaskStatuses.Open, after.Task.Status);
        Assert.Equal("overdue", after.History.Last().Kind);
        await Task.Delay(200);
        Assert.Single(bus.TaskEvents(e => e.TaskId == task.Task.Id));
    }

    [Fact]
    public async Task A_task_requested_with_a_due_time_already_past_is_overdue_at_once()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskOverdue);

        var task = await suite.RequestTaskAsync(Requests.Task(due: suite.Clock.GetUtcNow().AddMinutes(-5)));

        await bus.WaitForAsync(EventTypes.TaskOverdue, e => e.TaskId == task.Task.Id);
    }

    [Fact]
    public async Task A_snoozed_task_opens_again_when_its_snooze_ends()
    {
        var now = suite.Clock.GetUtcNow();
        var task = await suite.RequestTaskAsync(Requests.Task(due: now.AddDays(5)));
        await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/snooze", new { until = now.AddHours(3) });

        suite.Clock.Advance(TimeSpan.FromHours(4));

        var after = await SuiteFixture.EventuallyAsync(() => suite.GetTaskAsync(task.Task.Id), t => t.Task.Status == TaskStatuses.Open);
        Assert.Null(after.Task.SnoozedUntil);
        Assert.Equal("woke", after.History.Last().Kind);
    }

    [Fact]
    public async Task A_snoozed_task_still_becomes_overdue_at_its_due_time()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskOverdue);
        var now = suite.Clock.GetUtcNow();
        var task = await suite.RequestTaskAsync(Requests.Task(due: now.AddHours(1)));
        await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/snooze", new { until = now.AddDays(2) });

        suite.Clock.Advance(TimeSpan.FromHours(2));

        await bus.WaitForAsync(EventTypes.TaskOverdue, e => e.TaskId == task.Task.Id);
        var after = await suite.GetTaskAsync(task.Task.Id);
        Assert.Equal((TaskStatuses.Snoozed, true), (after.Task.Status, after.Task.Overdue));
    }

    [Fact]
    public async Task A_completed_task_never_becomes_overdue()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskOverdue);
        var late = await suite.RequestTaskAsync(Requests.Task(due: suite.Clock.GetUtcNow().AddHours(1)));
        var done = await suite.RequestTaskAsync(Requests.Task(due: suite.Clock.GetUtcNow().AddHours(1)));
        await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{done.Task.Id}/complete", new { outcome = "held" });

        suite.Clock.Advance(TimeSpan.FromHours(2));

        // The other task, due at the same time, shows the sweep ran.
        await bus.WaitForAsync(EventTypes.TaskOverdue, e => e.TaskId == late.Task.Id);
        Assert.Empty(bus.TaskEvents(e => e.TaskId == done.Task.Id));
        Assert.False((await suite.GetTaskAsync(done.Task.Id)).Task.Overdue);
    }
}
