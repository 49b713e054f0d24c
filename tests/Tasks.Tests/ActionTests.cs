using System.Net;
using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Tasks.Tests;

public sealed class ActionTests(TasksSuite suite) : IClassFixture<TasksSuite>
{
    [Fact]
    public async Task Completing_with_an_allowed_outcome_publishes_task_completed_with_that_outcome()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskCompleted);
        var task = await suite.RequestTaskAsync(Requests.Task(outcomes: ["held", "rescheduled", "no-show"]));

        var (response, body) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/complete",
            new { outcome = "Rescheduled", note = "Moved to Thursday at their request" }, user: "sam@example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", body.GetProperty("task").GetProperty("status").GetString());
        var completed = await bus.WaitForAsync(EventTypes.TaskCompleted, e => e.TaskId == task.Task.Id);
        Assert.Equal("rescheduled", completed.Task.Outcome);
        Assert.Equal("Moved to Thursday at their request", completed.Task.Note);
        Assert.Equal("sam@example.com", completed.Task.CompletedBy);
        Assert.Equal(TasksSuite.Start, completed.Task.CompletedAt);
        Assert.Equal(task.Task.InstanceId, completed.Task.InstanceId);
        Assert.Equal("kickoff", completed.Task.ActivityId);
        Assert.Equal(task.Task.AccountId, completed.Envelope.AccountId);
        var history = (await suite.GetTaskAsync(task.Task.Id)).History.Last();
        Assert.Equal(("completed", "sam@example.com", "rescheduled"), (history.Kind, history.Actor, history.To));
    }

    [Fact]
    public async Task Completing_with_an_outcome_the_task_does_not_allow_is_rejected()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskCompleted);
        var task = await suite.RequestTaskAsync(Requests.Task(outcomes: ["held", "rescheduled", "no-show"]));

        var (response, body) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/complete", new { outcome = "cancelled" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains("'cancelled'", detail);
        Assert.Contains("'held', 'rescheduled', 'no-show'", detail);
        Assert.Equal(["held", "rescheduled", "no-show"], body.GetProperty("allowedOutcomes").EnumerateArray().Select(o => o.GetString()));
        Assert.True(body.GetProperty("errors").TryGetProperty("outcome", out _));
        Assert.Equal(TaskStatuses.Open, (await suite.GetTaskAsync(task.Task.Id)).Task.Status);
        await Task.Delay(200);
        Assert.Empty(bus.TaskEvents(e => e.TaskId == task.Task.Id));
    }

    [Fact]
    public async Task Completing_without_an_outcome_when_the_task_has_outcomes_is_rejected()
    {
        var task = await suite.RequestTaskAsync(Requests.Task(outcomes: ["held", "no-show"]));

        var (response, body) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/complete", new { note = "done" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choose an outcome", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Completing_a_task_twice_is_a_conflict_and_publishes_once()
    {
        using var bus = new BusRecorder(suite.Bus, EventTypes.TaskCompleted);
        var task = await suite.RequestTaskAsync(Requests.Task());
        await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/complete", new { outcome = "held" });

        var (response, body) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/complete", new { outcome = "no-show" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("already completed with outcome 'held'", body.GetProperty("detail").GetString());
        await bus.WaitForAsync(EventTypes.TaskCompleted, e => e.TaskId == task.Task.Id);
        await Task.Delay(200);
        Assert.Single(bus.TaskEvents(e => e.TaskId == task.Task.Id));
    }

    [Fact]
    public async Task Acting_on_a_task_that_does_not_exist_is_not_found()
    {
        var (response, body) = await suite.SendAsync(HttpMethod.Post, "/api/tasks/no-such-task/complete", new { outcome = "held" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("GET /api/tasks", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Snoozing_hides_the_task_until_the_time_it_names()
    {
        var task = await suite.RequestTaskAsync(Requests.Task());
        var until = TasksSuite.Start.AddDays(2);

        var (response, body) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/snooze", new { until });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await suite.GetTaskAsync(task.Task.Id);
        Assert.Equal(TaskStatuses.Snoozed, after.Task.Status);
        Assert.Equal(until, after.Task.SnoozedUntil);
        Assert.Equal("snoozed", after.History.Last().Kind);
        Assert.Equal("snoozed", body.GetProperty("task").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Snoozing_until_a_time_already_past_is_rejected()
    {
        var task = await suite.RequestTaskAsync(Requests.Task());

        var (response, body) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/snooze", new { until = TasksSuite.Start.AddHours(-1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("after now", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Comments_are_kept_with_author_in_order()
    {
        var task = await suite.RequestTaskAsync(Requests.Task());

        var (first, body) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/comments", new { text = "Called, left a voicemail" }, user: "sam@example.com");
        await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/comments", new { text = "They called back" }, user: "pat@example.com");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("Called, left a voicemail", body.GetProperty("text").GetString());
        var comments = (await suite.GetTaskAsync(task.Task.Id)).Comments;
        Assert.Equal([("sam@example.com", "Called, left a voicemail"), ("pat@example.com", "They called back")], comments.Select(c => (c.Author, c.Text)));
    }

    [Fact]
    public async Task An_empty_comment_is_rejected()
    {
        var task = await suite.RequestTaskAsync(Requests.Task());

        var (response, _) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/comments", new { text = "  " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Ticking_a_checklist_item_records_who_and_when_and_can_be_undone()
    {
        var task = await suite.RequestTaskAsync(Requests.Task(checklist: ["Send the agenda", "Book the room"]));

        var (ticked, _) = await suite.SendAsync(HttpMethod.Put, $"/api/tasks/{task.Task.Id}/checklist/2", new { done = true }, user: "sam@example.com");
        var afterTick = await suite.GetTaskAsync(task.Task.Id);
        await suite.SendAsync(HttpMethod.Put, $"/api/tasks/{task.Task.Id}/checklist/2", new { done = false });
        var afterUntick = await suite.GetTaskAsync(task.Task.Id);

        Assert.Equal(HttpStatusCode.OK, ticked.StatusCode);
        Assert.Equal([false, true], afterTick.Checklist.Select(i => i.Done));
        Assert.Equal("sam@example.com", afterTick.Checklist[1].DoneBy);
        Assert.Equal(TasksSuite.Start, afterTick.Checklist[1].DoneAt);
        Assert.All(afterUntick.Checklist, item => Assert.False(item.Done));
        Assert.Equal(2, afterUntick.History.Count(h => h.Kind == "checklist"));
    }

    [Fact]
    public async Task Ticking_a_checklist_item_that_does_not_exist_says_which_items_do()
    {
        var task = await suite.RequestTaskAsync(Requests.Task(checklist: ["Send the agenda", "Book the room"]));

        var (response, body) = await suite.SendAsync(HttpMethod.Put, $"/api/tasks/{task.Task.Id}/checklist/3", new { done = true });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("items 1 to 2", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_completed_task_cannot_be_snoozed_reassigned_or_ticked()
    {
        var task = await suite.RequestTaskAsync(Requests.Task());
        await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/complete", new { outcome = "held" });

        var snooze = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/snooze", new { until = TasksSuite.Start.AddDays(1) });
        var reassign = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/reassign", new { assignee = "pat@example.com" });
        var tick = await suite.SendAsync(HttpMethod.Put, $"/api/tasks/{task.Task.Id}/checklist/1", new { done = true });

        Assert.Equal([HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict],
            new[] { snooze, reassign, tick }.Select(r => r.Response.StatusCode));
    }

    [Fact]
    public async Task A_request_body_with_an_unknown_field_is_rejected_naming_it()
    {
        var task = await suite.RequestTaskAsync(Requests.Task());

        var (response, body) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/complete", new { outcome = "held", result = "ok" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("result", body.GetProperty("detail").GetString());
    }
}
