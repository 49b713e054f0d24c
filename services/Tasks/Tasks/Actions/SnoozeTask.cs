using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Playbooks.Tasks.Api;
using Playbooks.Tasks.Overdue;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Actions;

/// <summary>
/// <c>POST /api/tasks/{id}/snooze</c>: hides the task until a time, when it opens again. Its due time stays:
/// a snoozed task still becomes overdue.
/// </summary>
public static class SnoozeTask
{
    public sealed record Request(DateTimeOffset? Until);

    public static async Task<Results<Ok<TaskDetail>, ProblemHttpResult, ValidationProblem>> HandleAsync(
        string id, Request request, CurrentUser user, ITaskStore store, DueSchedule schedule, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(id, cancellationToken);
        if (current is null) return TaskProblems.NotFound(id);
        if (!user.CanSee(current.Task)) return TaskProblems.NotYours(current.Task, user);
        if (!TaskStatuses.IsActive(current.Task.Status)) return TaskProblems.Closed(current.Task, "snoozed");
        var now = time.GetUtcNow();
        if (request.Until is not { } until)
            return TaskProblems.Invalid("until", "Say until when to snooze, as an ISO 8601 time, e.g. \"2026-12-01T09:00:00Z\".");
        if (until <= now)
            return TaskProblems.Invalid("until", $"Snooze until a time after now ({now.UtcDateTime:O}); {until.UtcDateTime:O} has passed.");

        if (await store.SnoozeAsync(id, until, user.Id, cancellationToken) is null)
            return TaskProblems.Closed((await store.GetAsync(id, cancellationToken))!.Task, "snoozed");
        schedule.Consider(until);
        return TypedResults.Ok((await store.GetAsync(id, cancellationToken))!);
    }
}
